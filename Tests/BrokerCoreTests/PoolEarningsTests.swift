import BrokerCore
import Testing

@Suite("What an owner pool earned")
struct PoolEarningsTests {
    @Test("per machine and in all: nodes, GPU-hours and what the jobs were billed")
    func tally() {
        let earnings = PoolEarnings([
            .init(machine: "rack-1", gpus: 8, billedSeconds: 3600, billed: Money(microdollars: 8_000_000)),
            .init(machine: "rack-1", gpus: 8, billedSeconds: 1800, billed: Money(microdollars: 4_000_000)),
            .init(machine: "rack-2", gpus: 4, billedSeconds: 900, billed: Money(microdollars: 1_000_000)),
        ])
        #expect(earnings.byMachine["rack-1"]?.nodes == 2)
        #expect(earnings.byMachine["rack-1"]?.gpuHours == 12)
        #expect(earnings.byMachine["rack-2"]?.gpuHours == 1)
        #expect(earnings.total.earned == Money(microdollars: 13_000_000) && earnings.total.gpuHours == 13)
        #expect(PoolEarnings([]).total.nodes == 0)
    }
}
