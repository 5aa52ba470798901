//! Benchmarks for liveview (work in progress).
