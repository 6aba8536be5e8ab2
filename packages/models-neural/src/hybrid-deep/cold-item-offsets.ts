/**
 * The collaborative part of each item's factors (id embedding and bias, `dim + 1` columns per
 * item) with the rows of items that have no training interactions replaced by the mean row
 * of the items that have. Such items never enter a training list, so their free parameters
 * are still the initial zeros while every warm item's have moved (the long tail's biases
 * downwards); the mean warm row puts a cold item where an average played item with the same
 * content would be, neither above nor below, and its content still decides its score.
 */
export function coldItemOffsets(offsets: Float32Array, width: number, itemCounts: Int32Array): Float32Array {
  const out = offsets.slice();
  const mean = new Float64Array(width);
  let warm = 0;
  for (let i = 0; i < itemCounts.length; i++) {
    if (itemCounts[i] === 0) continue;
    warm++;
    for (let f = 0; f < width; f++) mean[f] += offsets[i * width + f];
  }
  if (warm === 0) return out;
  for (let f = 0; f < width; f++) mean[f] /= warm;
  for (let i = 0; i < itemCounts.length; i++) {
    if (itemCounts[i] > 0) continue;
    for (let f = 0; f < width; f++) out[i * width + f] = mean[f];
  }
  return out;
}
