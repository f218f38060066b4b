/** Options given to StreamsModule.forRoot / forRootAsync. */
export const STREAMS_OPTIONS = Symbol('STREAMS_OPTIONS');
/** The module's non-blocking Redis connection (publishing, metrics queries). */
export const STREAMS_REDIS = Symbol('STREAMS_REDIS');
