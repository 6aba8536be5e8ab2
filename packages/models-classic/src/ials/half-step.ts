/**
 * One half-iteration's problem for a range of rows: each row r (a user, or an item on the
 * item side) with its observed columns `indices[indptr[r]..indptr[r+1])` and their
 * confidences solves (G + Σ_j (c_rj − 1) y_j y_jᵀ) x_r = Σ_j c_rj y_j against the fixed
 * factors Y, where G = YᵀY + λI. `solved` (rows × f) is updated in place.
 */
export interface HalfStep {
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly confidence: Float32Array;
  readonly solved: Float32Array;
  readonly fixed: Float32Array;
  /** YᵀY + λI, f × f row-major (both triangles). */
  readonly gram: Float64Array;
  readonly factors: number;
}
