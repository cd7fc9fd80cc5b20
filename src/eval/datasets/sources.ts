// Where each benchmark file comes from, pinned: MapCoder's published data files at one commit (their
// sha256 checked against that commit's blobs), the original MBPP, and xCodeEval's hidden tests from its
// dataset on the Hugging Face hub.

export const MAPCODER_COMMIT = '0027da71030b441cca2bc6f95def86b9aa5c7dea';
const MAPCODER = `https://raw.githubusercontent.com/Md-Ashraful-Pramanik/MapCoder/${MAPCODER_COMMIT}/data`;

export interface DataFile {
  /** The file's name in the data folder (and on a MAPCODER_DATA_URL mirror). */
  name: string;
  url: string;
  size?: number;
  /** Checked before the file takes its name; absent where no copy could be hashed (said by `data fetch`). */
  sha256?: string;
}

export const DATA_FILES: Record<string, DataFile> = {
  apps: { name: 'selected150.jsonl', url: `${MAPCODER}/APPS/selected150.jsonl`, size: 390742, sha256: '0f27851c4f48842413a4afdd9aa94c295d5d639af95165e2810869903f219e80' },
  humanevalWst: { name: 'HumanEvalWST.jsonl', url: `${MAPCODER}/HumanEval/HumanEvalWST.jsonl`, size: 238862, sha256: 'd6ae6df54d62ed91c936c11f82dbab73d72381b03debd29cb5ca797d027fba19' },
  humanevalEt: { name: 'HumanEvalET.jsonl', url: `${MAPCODER}/HumanEval/HumanEvalET.jsonl`, size: 1321260, sha256: 'c9d9ccd7e299897a423a013ddd59e248b1befb68068d9e74811f1cfad49be0c5' },
  mbppPy: { name: 'mbpp-py.jsonl', url: `${MAPCODER}/MBPPEval/mbpp-py.jsonl`, size: 346178, sha256: 'bbb83793eac1db4b12c47e4981961ecce231e4ffa0872c2d8a19dafd47cd58fa' },
  // the original MBPP with its reference solutions (verify-canonical), as MapCoder's data folder has it
  mbpp: { name: 'MBPP.jsonl', url: `${MAPCODER}/MBPPEval/MBPP.jsonl`, size: 563743, sha256: 'ccf64ceae9c5403bf50a044cb6d505bfd2a2963ee58338ba268fd65beab92a9f' },
  xcodeeval: { name: 'prog_syn_val.jsonl', url: `${MAPCODER}/xCodeEval/prog_syn_val.jsonl`, size: 203433, sha256: '4d596fca3dc2318e1469ed17517e72d2477f3b6d0943d658a9917d4a0ca11b5b' },
  // xCodeEval's hidden unit tests for every problem (the paper's xCodeEval figures are on these); an LFS
  // file no copy of which could be hashed here, so unpinned: `data fetch` says so and checks that it
  // holds tests for every validation problem instead
  unittestDb: { name: 'unittest_db.json', url: 'https://huggingface.co/datasets/NTU-NLP-sg/xCodeEval/resolve/main/unittest_db.json' },
};

/** What `data fetch NAME` gets; `all` is every one. */
export const FETCHABLE: Record<string, (keyof typeof DATA_FILES)[]> = {
  humaneval: ['humanevalWst', 'humanevalEt'],
  mbpp: ['mbppPy', 'mbpp'],
  apps: ['apps'],
  xcodeeval: ['xcodeeval', 'unittestDb'],
};

/** The extract of unittest_db.json for prog_syn_val's problems, which the loader reads. */
export const XCODEEVAL_TESTS_FILE = 'xcodeeval_unittests.json';
