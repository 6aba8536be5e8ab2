export { buildItemContent } from './item-content';
export type { ItemContent } from './item-content';
export { tagTfidfBlock } from './tag-block';
export type { TagBlock } from './tag-block';
export { itemContentDefaults, resolveItemContentConfig } from './config';
export type { ItemContentConfig } from './config';
