import type { AudioFeatures } from '@musicrec/core';

/**
 * Column-wise z-scores of the audio features over the items that have an audio profile
 * (`present[i] = 1`). A missing value (NaN) becomes the column mean, i.e. 0 after scaling;
 * a constant column becomes all 0 (it cannot tell items apart). Rows without a profile stay 0.
 * Means and variances are summed in float64 so 28k-row columns like duration_ms keep precision.
 */
export function zScoreAudio(audio: AudioFeatures, nItems: number): Float32Array {
  const dim = audio.columns.length;
  const { values, present } = audio;
  const mean = new Float64Array(dim);
  const count = new Float64Array(dim);
  for (let i = 0; i < nItems; i++) {
    if (!present[i]) continue;
    for (let d = 0; d < dim; d++) {
      const v = values[i * dim + d];
      if (v === v) {
        mean[d] += v;
        count[d]++;
      }
    }
  }
  for (let d = 0; d < dim; d++) mean[d] = count[d] > 0 ? mean[d] / count[d] : 0;
  const variance = new Float64Array(dim);
  for (let i = 0; i < nItems; i++) {
    if (!present[i]) continue;
    for (let d = 0; d < dim; d++) {
      const v = values[i * dim + d];
      if (v === v) variance[d] += (v - mean[d]) * (v - mean[d]);
    }
  }
  const invStd = new Float64Array(dim);
  for (let d = 0; d < dim; d++) {
    const sd = count[d] > 0 ? Math.sqrt(variance[d] / count[d]) : 0;
    invStd[d] = sd > 0 ? 1 / sd : 0;
  }
  const out = new Float32Array(nItems * dim);
  for (let i = 0; i < nItems; i++) {
    if (!present[i]) continue;
    for (let d = 0; d < dim; d++) {
      const v = values[i * dim + d];
      out[i * dim + d] = v === v ? (v - mean[d]) * invStd[d] : 0;
    }
  }
  return out;
}
