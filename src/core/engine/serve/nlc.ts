// The part of node-llama-cpp's API the engine uses. The package is loaded at run time from the
// runtime folder (engine/runtime.ts), never bundled, so its types are declared here, narrowly.

export type Token = number;

export interface NlcModule {
  getLlama(options: {
    gpu: false | 'metal';
    build: 'never';
    skipDownload: true;
    progressLogs: false;
    logLevel: 'error' | 'warn' | 'info';
    logger?: (level: string, message: string) => void;
    maxThreads?: number;
  }): Promise<Llama>;
  LlamaGrammarEvaluationState: new (options: { model: Model; grammar: Grammar }) => GrammarState;
}

export interface Llama {
  loadModel(options: { modelPath: string; gpuLayers: number; onLoadProgress?: (p: number) => void; loadSignal?: AbortSignal }): Promise<Model>;
  createGrammar(options: { grammar: string }): Promise<Grammar>;
  readonly buildType: string;
  readonly gpu: string | false;
  dispose(): Promise<void>;
}

export interface Model {
  tokenize(text: string, specialTokens?: boolean): Token[];
  detokenize(tokens: readonly Token[], specialTokens?: boolean, lastTokens?: readonly Token[]): string;
  isEogToken(token: Token): boolean;
  readonly tokens: { bos: Token | null; bosString: string | null; eosString: string | null; shouldPrependBosToken: boolean };
  readonly size: number;
  createContext(options: {
    contextSize: number;
    sequences: number;
    threads: number;
    batchSize: number;
    lora?: { adapters: { filePath: string; scale?: number }[] };
    ignoreMemorySafetyChecks?: boolean;
  }): Promise<Context>;
  dispose(): Promise<void>;
}

export interface Context {
  readonly contextSize: number;
  getSequence(): Sequence;
  dispose(): Promise<void>;
}

export interface Sequence {
  readonly contextTokens: Token[];
  readonly nextTokenIndex: number;
  eraseContextTokenRanges(ranges: { start: number; end: number }[]): Promise<void>;
  evaluateWithoutGeneratingNewTokens(tokens: Token[]): Promise<void>;
  evaluate(tokens: Token[], options?: {
    temperature?: number;
    topK?: number;
    topP?: number;
    minP?: number;
    seed?: number;
    grammarEvaluationState?: GrammarState;
  }): AsyncGenerator<Token, void, void>;
}

export type Grammar = object;
export type GrammarState = object;
