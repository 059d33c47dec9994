/**
 * JMH benchmarks of Créneau's regulator query, ingestion and memory, and the two baselines a team
 * would build instead: Apache Lucene in memory ({@link fr.creneau.bench.LuceneBaseline}) and plain
 * on-heap Java ({@link fr.creneau.bench.OnHeapBaseline}). Baselines live here only, never in the
 * engine. See {@code bench/README.md} and {@code bench/run.sh}.
 */
package fr.creneau.bench;
