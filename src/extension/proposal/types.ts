import type * as vscode from 'vscode';
import type { Lang } from '../../core/types';
import type { OffsetRange, Touch } from './logic';

/** The scheme of the read-only documents a proposal shows: previews of new files and Compare views. */
export const PROPOSAL_SCHEME = 'mapcoder-lite-proposal';

interface BaseProposal {
  runId: string;
  lang: Lang;
  /** "passes 3/3 samples": shown in the CodeLens. */
  summary: string;
}

/** A change to an existing document: `range` is the text it replaces, followed through the user's edits. */
export interface InlineProposal extends BaseProposal {
  kind: 'inline';
  uri: vscode.Uri;
  range: OffsetRange;
  touched: Touch;
  proposed: string;
  /** Withdraws the proposal when its file is deleted on disk. */
  watcher?: vscode.Disposable;
}

/** A new file (created on Accept) or an untitled document, previewed in a read-only virtual document. */
export interface NewFileProposal extends BaseProposal {
  kind: 'new';
  /** The preview document. */
  uri: vscode.Uri;
  /** undefined: an untitled document. */
  target?: vscode.Uri;
  proposed: string;
}

export type Proposal = InlineProposal | NewFileProposal;

/** How a proposal stops showing. */
export type ProposalEnd = 'accepted' | 'rejected' | 'stale';
