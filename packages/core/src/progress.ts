/** A progress report from a long step (loading, fitting, evaluating). */
export interface ProgressEvent {
  /** What is running, e.g. "fit ials" or "evaluate". */
  stage: string;
  current: number;
  total: number;
  /** Named numbers worth showing next to the bar (loss, validation NDCG...). */
  metrics?: Record<string, number>;
  message?: string;
}

export type ProgressListener = (event: ProgressEvent) => void;

export const silentProgress: ProgressListener = () => {};
