import { describe, expect, it } from 'vitest';
import * as features from './index';

describe('@musicrec/features public API', () => {
  it('exports exactly these values (adding or removing one is a deliberate change)', () => {
    expect(Object.keys(features).sort()).toMatchInlineSnapshot(`
      [
        "IqrCapper",
        "LabelEncoder",
        "LogTransform",
        "MusicPreprocessor",
        "OneHotEncoder",
        "PITCH_CLASSES",
        "QUALITY_QUANTILES",
        "ReleaseYearEncoder",
        "RobustScaler",
        "StandardScaler",
        "TfidfVectorizer",
        "dataQualityReport",
        "encodeKey",
        "encodeMode",
        "formatQualityReport",
        "iqrCapperDefaults",
        "musicPreprocessorDefaults",
        "oneHotEncoderDefaults",
        "pairwisePearson",
        "productFeatures",
        "releaseYearEncoderDefaults",
        "robustScalerDefaults",
        "selectColumns",
        "standardScalerDefaults",
        "tfidfDefaults",
      ]
    `);
  });
});
