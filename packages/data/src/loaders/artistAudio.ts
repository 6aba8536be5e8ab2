import type { AudioFeatures, Catalog } from '@musicrec/core';

/**
 * Artist name as a join key: lowercase, accents stripped (NFKD, combining marks removed),
 * punctuation removed, spaces collapsed, a leading "the " dropped.
 */
export function normaliseArtistName(name: string): string {
  const key = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[^\p{L}\p{N}\s]+/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
  return key.startsWith('the ') ? key.slice(4) : key;
}

export interface ArtistAudioJoin {
  /** One row per artist; NaN and present = 0 where no Spotify artist matched. */
  audio: AudioFeatures;
  matchedArtists: number;
  /** Share of all plays that belong to matched artists. */
  matchedPlayShare: number;
  /** Source tracks that contributed to some matched artist's mean. */
  tracksUsed: number;
}

/**
 * Gives each artist the mean audio features of the source tracks (e.g. Spotify) whose
 * artist has the same normalised name. `source` needs `artists` and `audio`; a feature that
 * is NaN on a track is left out of that feature's mean.
 */
export function joinArtistAudio(
  artistNames: readonly (string | null)[],
  playsPerArtist: Float64Array,
  source: Catalog,
): ArtistAudioJoin {
  if (!source.artists || !source.audio) throw new Error('joinArtistAudio: the source catalog needs artists and audio');
  const { columns, values } = source.audio;
  const nCols = columns.length;
  // per normalised source artist: feature sums and counts
  const groupOf = new Map<string, number>();
  const trackGroup = new Int32Array(source.itemIds.length).fill(-1);
  for (let t = 0; t < trackGroup.length; t++) {
    const name = source.artists[t];
    if (name === null || source.audio.present[t] === 0) continue;
    const key = normaliseArtistName(name);
    if (key === '') continue;
    let g = groupOf.get(key);
    if (g === undefined) {
      g = groupOf.size;
      groupOf.set(key, g);
    }
    trackGroup[t] = g;
  }
  const sums = new Float64Array(groupOf.size * nCols);
  const counts = new Int32Array(groupOf.size * nCols);
  for (let t = 0; t < trackGroup.length; t++) {
    const g = trackGroup[t];
    if (g < 0) continue;
    for (let c = 0; c < nCols; c++) {
      const v = values[t * nCols + c];
      if (v !== v) continue;
      sums[g * nCols + c] += v;
      counts[g * nCols + c]++;
    }
  }

  const nArtists = artistNames.length;
  const out = new Float32Array(nArtists * nCols).fill(NaN);
  const present = new Uint8Array(nArtists);
  const groupUsed = new Uint8Array(groupOf.size);
  let matched = 0;
  let matchedPlays = 0;
  let totalPlays = 0;
  for (let a = 0; a < nArtists; a++) {
    totalPlays += playsPerArtist[a];
    const name = artistNames[a];
    if (name === null) continue;
    const g = groupOf.get(normaliseArtistName(name));
    if (g === undefined) continue;
    for (let c = 0; c < nCols; c++) {
      const n = counts[g * nCols + c];
      out[a * nCols + c] = n > 0 ? sums[g * nCols + c] / n : NaN;
    }
    present[a] = 1;
    groupUsed[g] = 1;
    matched++;
    matchedPlays += playsPerArtist[a];
  }
  let tracksUsed = 0;
  for (let t = 0; t < trackGroup.length; t++) if (trackGroup[t] >= 0 && groupUsed[trackGroup[t]]) tracksUsed++;
  return {
    audio: { columns, values: out, present },
    matchedArtists: matched,
    matchedPlayShare: totalPlays > 0 ? matchedPlays / totalPlays : 0,
    tracksUsed,
  };
}
