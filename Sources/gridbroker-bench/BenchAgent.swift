/// The node agent the benchmarks' launches announce: no node boots, so only its digest is needed
/// (the boot scripts are built as for a real launch).
enum BenchAgent {
    static let sha256 = String(repeating: "0", count: 64)
}
