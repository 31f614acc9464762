export { mergeCandidates, type BatchProbe, type MatchCandidate, type Matcher, type SearchOptions } from './matcher.ts';
export { BitSamplingIndex, type BitSamplingOptions } from './bit-sampling-index.ts';
export { ShardedMatcher, shardOf } from './sharded-matcher.ts';
export { PackedSets, PrefixSets, packProbe, popcount32, scoreFull, unpackInto, type FullTemplates, type PackedProbe } from './packed-sets.ts';
export { openSealedPage, packSealedPage, pageWords, sealedOpener, type SealedLayout, type SealedLoader, type SealedOpener, type SealedPage } from './sealed-sets.ts';
