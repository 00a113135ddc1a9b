/**
 * Preloaded (`node --require`) into a profiled processor by `npm run bench` with CPU_PROFILE_DIR:
 * `--cpu-prof` writes its profile only on a normal exit, and the bench stops the processor with SIGTERM.
 */
process.once('SIGTERM', () => process.exit(143));
