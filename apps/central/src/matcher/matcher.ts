// The matcher's interface and its implementations live in @tangguh/matcher, shared with the office's
// provisional deduplication; this file keeps the centre's imports short.
export type { BatchProbe, MatchCandidate, Matcher, SearchOptions } from '@tangguh/matcher';
