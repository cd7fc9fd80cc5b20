// Result and issue shapes shared by every parser in this folder.

/** One format problem noticed in a reply. `recovered`: the parser still got what the model meant. */
export interface ParseIssue {
  kind: string;
  detail: string;
  recovered: boolean;
}

/** `ok=false` means `value` is a fallback (the pipeline may retry the call). */
export interface Parsed<T> {
  value: T;
  ok: boolean;
  issues: ParseIssue[];
}

export function issue(kind: string, detail: string, recovered = true): ParseIssue {
  return { kind, detail, recovered };
}
