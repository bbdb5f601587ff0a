// Package bench compares gowasm with its peers (wazero's interpreter and
// wazero's compiler) on the workloads in workloads/.
//
// It is a separate Go module so that the main module gains no
// dependency. The comparison is run by cmd/compare; the same workloads are
// available as Go benchmarks (BenchmarkWorkloads/<name>/<runtime>).
package bench
