/// What an owner pool sold: per machine and in all, the nodes it ran, the GPU-hours and the money
/// earned at the nodes' launch-time prices (what their jobs were billed).
public struct PoolEarnings: Sendable, Equatable {
    /// One node a machine ran: its GPUs, how long it was billed, and what it was billed.
    public struct Sale: Sendable, Equatable {
        public var machine: String
        public var gpus: Int
        public var billedSeconds: Int64
        public var billed: Money

        public init(machine: String, gpus: Int, billedSeconds: Int64, billed: Money) {
            self.machine = machine
            self.gpus = gpus
            self.billedSeconds = billedSeconds
            self.billed = billed
        }
    }

    /// A machine's (or the pool's) sum.
    public struct Line: Sendable, Equatable {
        public var nodes: Int
        public var gpuSeconds: Int64
        public var earned: Money

        public var gpuHours: Double { Double(gpuSeconds) / 3600 }

        static let none = Line(nodes: 0, gpuSeconds: 0, earned: .zero)

        func adding(_ sale: Sale) -> Line {
            Line(
                nodes: nodes + 1, gpuSeconds: gpuSeconds + Int64(sale.gpus) * max(0, sale.billedSeconds),
                earned: earned + sale.billed)
        }
    }

    public var byMachine: [String: Line]
    public var total: Line

    public init(_ sales: [Sale]) {
        byMachine = sales.reduce(into: [:]) { lines, sale in
            lines[sale.machine] = (lines[sale.machine] ?? .none).adding(sale)
        }
        total = sales.reduce(Line.none) { $0.adding($1) }
    }
}
