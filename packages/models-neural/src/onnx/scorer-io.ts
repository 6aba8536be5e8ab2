/** Input of every scorer graph: user indices, int64 [batch]. */
export const ONNX_USER_INPUT = 'user';
/** Output of every scorer graph: float32 [batch, nItems], higher is better. */
export const ONNX_SCORES_OUTPUT = 'scores';
/** Input of the item encoder: float32 [n, featureDim]. */
export const ONNX_FEATURES_INPUT = 'features';
/** Output of the item encoder: float32 [n, embeddingDim], unit L2 norm per row. */
export const ONNX_EMBEDDING_OUTPUT = 'embedding';
