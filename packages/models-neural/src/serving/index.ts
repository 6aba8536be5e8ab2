export { TfFactorScorer, TfFactorScoring } from './tf-factor-scorer';
