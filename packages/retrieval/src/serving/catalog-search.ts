import type { ArtifactCatalog } from '../artifact/format';

/** Lowercase, accents and punctuation gone, whitespace collapsed: "Beyoncé!" → "beyonce". */
/** Letters NFKD does not decompose into a base letter + accent, folded the way people type them. */
const FOLDS: Record<string, string> = { ð: 'd', đ: 'd', ø: 'o', æ: 'ae', œ: 'oe', ß: 'ss', ł: 'l', þ: 'th', ı: 'i' };

export function normalizeForSearch(text: string): string {
  return text
    .toLowerCase()
    .replace(/[ðđøæœßłþı]/g, (c) => FOLDS[c])
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * Name / artist search over a catalogue. Ranks, best first: the whole name equals the query;
 * the name starts with it; a word of the name starts with it; the name contains it; then the
 * same four for the artist. Ties go to the more popular item (training interactions), then
 * the lower index. Accents, case and punctuation are ignored.
 */
export class CatalogSearch {
  private readonly names: string[];
  private readonly artists: string[];

  constructor(
    catalog: ArtifactCatalog,
    nItems: number,
    private readonly popularity: Int32Array,
  ) {
    const col = (c: (string | null)[] | null) => Array.from({ length: nItems }, (_, i) => normalizeForSearch(c?.[i] ?? ''));
    this.names = col(catalog.names);
    this.artists = col(catalog.artists);
  }

  /** Up to `limit` item indices matching `query`, best first; [] for a query with no letters or digits. */
  search(query: string, limit: number): number[] {
    const q = normalizeForSearch(query);
    if (q === '' || limit <= 0) return [];
    const hits: { item: number; rank: number }[] = [];
    for (let i = 0; i < this.names.length; i++) {
      const byName = matchRank(this.names[i], q);
      const rank = byName < NO_MATCH ? byName : NO_MATCH + matchRank(this.artists[i], q);
      if (rank < 2 * NO_MATCH) hits.push({ item: i, rank });
    }
    hits.sort((a, b) => a.rank - b.rank || this.popularity[b.item] - this.popularity[a.item] || a.item - b.item);
    return hits.slice(0, limit).map((h) => h.item);
  }
}

const NO_MATCH = 4;

/** 0 equal, 1 prefix, 2 a word starts with q, 3 contains, NO_MATCH otherwise. */
function matchRank(text: string, q: string): number {
  if (text === '') return NO_MATCH;
  if (text === q) return 0;
  if (text.startsWith(q)) return 1;
  const at = text.indexOf(q);
  if (at < 0) return NO_MATCH;
  return text.includes(' ' + q) ? 2 : 3;
}
