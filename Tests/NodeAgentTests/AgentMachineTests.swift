import Foundation
import Testing

@testable import NodeAgent

/// The agent's decisions, transition by transition, with no process, file or network.
@Suite("AgentMachine")
struct AgentMachineTests {
    private let settings = AgentSettings(
        interval: .seconds(10), checkpointSignal: SIGUSR1, shardsFile: "/work/shards.txt",
        progressFile: "/work/progress.json")

    private func answer(
        rank: Int = 0, master: String? = nil, shards: [Int] = [0, 1], commands: [String] = []
    ) -> HeartbeatAnswer {
        HeartbeatAnswer(
            nodeID: "node_1", jobID: "job_7", rank: rank, nnodes: 2, gpusPerNode: 8, masterAddress: master,
            masterPort: 29500, shards: shards, checkpointURI: "s3://ckpt/run-7",
            resumeFrom: "s3://ckpt/run-7/step-1200",
            commands: commands)
    }

    /// A machine whose command runs, started by a first answer at 0 s.
    private func running() -> AgentMachine {
        var machine = AgentMachine(settings: settings)
        _ = machine.start()
        _ = machine.handle(.heartbeatAnswered(answer()), at: .zero)
        return machine
    }

    @Test func firstHeartbeatGoesOutBeforeTheCommandStarts() {
        var machine = AgentMachine(settings: settings)
        #expect(machine.start() == [.sendHeartbeat(.starting, exitCode: nil)])
        #expect(machine.nextDeadline == nil)
    }

    @Test func firstAnswerWritesTheShardsThenStartsTheCommandWithItsEnvironment() {
        var machine = AgentMachine(settings: settings)
        _ = machine.start()
        let actions = machine.handle(.heartbeatAnswered(answer(shards: [3, 4])), at: .seconds(1))
        #expect(
            actions == [
                .writeShards([3, 4]),
                .startCommand(environment: [
                    "GRIDBROKER_NODE_ID": "node_1", "GRIDBROKER_JOB_ID": "job_7", "NODE_RANK": "0", "NNODES": "2",
                    "GPUS_PER_NODE": "8", "MASTER_ADDR": "127.0.0.1", "MASTER_PORT": "29500",
                    "GRIDBROKER_SHARDS_FILE": "/work/shards.txt", "GRIDBROKER_PROGRESS_FILE": "/work/progress.json",
                    "GRIDBROKER_CHECKPOINT_URI": "s3://ckpt/run-7",
                    "GRIDBROKER_RESUME_FROM": "s3://ckpt/run-7/step-1200",
                ]),
            ])
        #expect(machine.nextDeadline == .seconds(11))
    }

    @Test func masterAddressComesFromTheAnswerAndIsLeftOutForOtherRanksUntilKnown() {
        let given = CommandEnvironment.variables(for: answer(rank: 1, master: "10.0.0.9"), settings: settings)
        #expect(given["MASTER_ADDR"] == "10.0.0.9")
        #expect(given["NODE_RANK"] == "1")
        let unknown = CommandEnvironment.variables(for: answer(rank: 1), settings: settings)
        #expect(unknown["MASTER_ADDR"] == nil)
    }

    @Test func anotherRankWaitsForRankZerosAddressBeforeStartingTheCommand() {
        var machine = AgentMachine(settings: settings)
        _ = machine.start()
        #expect(machine.handle(.heartbeatAnswered(answer(rank: 1)), at: .seconds(1)) == [])
        #expect(machine.handle(.timer, at: .seconds(11)) == [.sendHeartbeat(.starting, exitCode: nil)])
        let actions = machine.handle(.heartbeatAnswered(answer(rank: 1, master: "10.0.0.9")), at: .seconds(12))
        guard case .startCommand(let environment) = actions.last else {
            Issue.record("expected the command to start, got \(actions)")
            return
        }
        #expect(environment["MASTER_ADDR"] == "10.0.0.9")
    }

    @Test func heartbeatsFollowTheInterval() {
        var machine = running()
        #expect(machine.handle(.timer, at: .seconds(9)) == [])
        #expect(machine.handle(.timer, at: .seconds(10)) == [.sendHeartbeat(.running, exitCode: nil)])
        #expect(machine.nextDeadline == nil)  // one heartbeat in flight at a time
        #expect(machine.handle(.timer, at: .seconds(12)) == [])
        #expect(machine.handle(.heartbeatAnswered(answer()), at: .seconds(12)) == [])
        #expect(machine.nextDeadline == .seconds(22))
    }

    @Test func aChangedShardListRewritesTheFileAndAnUnchangedOneDoesNot() {
        var machine = running()
        #expect(machine.handle(.heartbeatAnswered(answer(shards: [0, 1])), at: .seconds(10)) == [])
        #expect(
            machine.handle(.heartbeatAnswered(answer(shards: [1, 5])), at: .seconds(20)) == [.writeShards([1, 5])])
        #expect(machine.handle(.heartbeatAnswered(answer(shards: [1, 5])), at: .seconds(30)) == [])
    }

    /// The broker repeats `checkpoint` in every answer while a notice lasts: one signal per notice.
    @Test func eachCheckpointRequestSendsOneSignal() {
        var machine = running()
        let ask = answer(commands: ["checkpoint"])
        #expect(machine.handle(.heartbeatAnswered(ask), at: .seconds(10)) == [.signal(SIGUSR1)])
        #expect(machine.handle(.heartbeatAnswered(ask), at: .seconds(15)) == [])
        #expect(machine.handle(.heartbeatAnswered(answer()), at: .seconds(20)) == [])
        #expect(machine.handle(.heartbeatAnswered(ask), at: .seconds(30)) == [.signal(SIGUSR1)])
    }

    @Test func theConfiguredCheckpointSignalIsUsed() {
        var custom = settings
        custom.checkpointSignal = SIGUSR2
        var machine = AgentMachine(settings: custom)
        _ = machine.start()
        _ = machine.handle(.heartbeatAnswered(answer()), at: .zero)
        #expect(
            machine.handle(.heartbeatAnswered(answer(commands: ["checkpoint"])), at: .seconds(10)) == [.signal(SIGUSR2)]
        )
    }

    @Test func aCheckpointAskedBeforeTheCommandRunsIsIgnored() {
        var machine = AgentMachine(settings: settings)
        _ = machine.start()
        let actions = machine.handle(.heartbeatAnswered(answer(commands: ["checkpoint"])), at: .zero)
        #expect(!actions.contains(.signal(SIGUSR1)))
        #expect(actions.count == 2)
    }

    @Test func stopSendsSigtermThenReportsTheExitThenExitsZero() {
        var machine = running()
        #expect(machine.handle(.heartbeatAnswered(answer(commands: ["stop"])), at: .seconds(10)) == [.signal(SIGTERM)])
        #expect(machine.nextDeadline == .seconds(40))  // the kill; no heartbeat while stopping
        #expect(machine.handle(.timer, at: .seconds(20)) == [])
        #expect(machine.handle(.commandExited(code: 143), at: .seconds(21)) == [.sendHeartbeat(.exited, exitCode: 143)])
        #expect(machine.handle(.heartbeatAnswered(answer()), at: .seconds(22)) == [.exit(0)])
        #expect(machine.isDone)
    }

    @Test func aCommandThatIgnoresSigtermIsKilledAfterTheGrace() {
        var machine = running()
        _ = machine.handle(.heartbeatAnswered(answer(commands: ["stop"])), at: .seconds(10))
        #expect(machine.handle(.timer, at: .seconds(39)) == [])
        #expect(machine.handle(.timer, at: .seconds(40)) == [.signal(SIGKILL)])
        #expect(machine.nextDeadline == nil)
        #expect(machine.handle(.commandExited(code: 137), at: .seconds(41)) == [.sendHeartbeat(.exited, exitCode: 137)])
    }

    @Test func theCommandsOwnExitIsReportedThenBecomesTheAgentsExitCode() {
        var machine = running()
        #expect(machine.handle(.commandExited(code: 3), at: .seconds(5)) == [.sendHeartbeat(.exited, exitCode: 3)])
        #expect(machine.handle(.heartbeatAnswered(answer()), at: .seconds(6)) == [.exit(3)])
    }

    @Test func anExitDuringARunningHeartbeatIsReportedAfterItsAnswer() {
        var machine = running()
        #expect(machine.handle(.timer, at: .seconds(10)) == [.sendHeartbeat(.running, exitCode: nil)])
        #expect(machine.handle(.commandExited(code: 0), at: .seconds(10)) == [])
        #expect(
            machine.handle(.heartbeatAnswered(answer()), at: .seconds(11)) == [.sendHeartbeat(.exited, exitCode: 0)])
        #expect(machine.handle(.heartbeatAnswered(answer()), at: .seconds(12)) == [.exit(0)])
    }

    @Test func stopBeforeTheCommandStartsReportsAndExitsWithoutStartingIt() {
        var machine = AgentMachine(settings: settings)
        _ = machine.start()
        #expect(
            machine.handle(.heartbeatAnswered(answer(commands: ["stop"])), at: .zero) == [
                .sendHeartbeat(.exited, exitCode: nil)
            ])
        #expect(machine.handle(.heartbeatAnswered(answer()), at: .seconds(1)) == [.exit(0)])
    }

    @Test func brokerErrorsKeepTheCommandRunningAndBackOffUpToTheInterval() {
        var machine = running()
        var now = Duration.seconds(10)
        #expect(machine.handle(.timer, at: now) == [.sendHeartbeat(.running, exitCode: nil)])
        var delays: [Duration] = []
        for _ in 0..<7 {
            #expect(machine.handle(.heartbeatFailed(reason: "broker unreachable"), at: now) == [])
            let next = machine.nextDeadline ?? .zero
            delays.append(next - now)
            now = next
            #expect(machine.handle(.timer, at: now) == [.sendHeartbeat(.running, exitCode: nil)])
        }
        #expect(
            delays == [
                .milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(10), .seconds(10),
            ])
        // Back in touch: the interval again, and the backoff starts over.
        #expect(machine.handle(.heartbeatAnswered(answer()), at: now) == [])
        #expect(machine.nextDeadline == now + .seconds(10))
        _ = machine.handle(.timer, at: now + .seconds(10))
        _ = machine.handle(.heartbeatFailed(reason: "HTTP 503"), at: now + .seconds(10))
        #expect(machine.nextDeadline == now + .milliseconds(10_500))
    }

    @Test func theStartingHeartbeatIsRetriedUntilTheBrokerAnswers() {
        var machine = AgentMachine(settings: settings)
        _ = machine.start()
        #expect(machine.handle(.heartbeatFailed(reason: "broker unreachable"), at: .zero) == [])
        #expect(machine.handle(.timer, at: .milliseconds(500)) == [.sendHeartbeat(.starting, exitCode: nil)])
    }

    @Test func theFinalReportIsRetriedThenGivenUpAfterTheTimeout() {
        var machine = running()
        _ = machine.handle(.commandExited(code: 2), at: .seconds(5))
        #expect(machine.handle(.heartbeatFailed(reason: "broker unreachable"), at: .seconds(6)) == [])
        #expect(machine.handle(.timer, at: .milliseconds(6500)) == [.sendHeartbeat(.exited, exitCode: 2)])
        #expect(machine.handle(.heartbeatFailed(reason: "broker unreachable"), at: .seconds(305)) == [.exit(2)])
    }
}

@Suite("AgentMachine when the agent itself is told to terminate")
struct AgentTerminationTests {
    private let settings = AgentSettings(
        interval: .seconds(10), checkpointSignal: SIGUSR1, shardsFile: "/w/shards.txt", progressFile: "/w/progress.json"
    )

    @Test func theCommandIsStoppedAndTheExitReportedOnceWithoutWaitingForTheBroker() {
        var machine = AgentMachine(settings: settings)
        _ = machine.start()
        let answer = HeartbeatAnswer(nodeID: "node_1", jobID: "job_7", rank: 0, nnodes: 1, gpusPerNode: 8, shards: [0])
        _ = machine.handle(.heartbeatAnswered(answer), at: .zero)
        #expect(machine.handle(.terminationRequested, at: .seconds(1)) == [.signal(SIGTERM)])
        #expect(machine.handle(.commandExited(code: 143), at: .seconds(2)) == [.sendHeartbeat(.exited, exitCode: 143)])
        #expect(machine.handle(.heartbeatFailed(reason: "broker unreachable"), at: .seconds(2)) == [.exit(0)])
    }

    @Test func beforeTheCommandStartsTheAgentReportsAndExits() {
        var machine = AgentMachine(settings: settings)
        _ = machine.start()
        #expect(machine.handle(.terminationRequested, at: .seconds(1)) == [])  // the starting heartbeat is in flight
        #expect(machine.handle(.heartbeatFailed(reason: "HTTP 503"), at: .seconds(2)) == [.exit(0)])
    }
}

/// A job whose shards are lists of objects: the agent fetches them before the command starts.
@Suite("AgentMachine with a dataset manifest")
struct AgentMachineDatasetTests {
    private let settings = AgentSettings(
        interval: .seconds(10), checkpointSignal: SIGUSR1, shardsFile: "/w/shards.txt", progressFile: "/w/p.json")

    private func answer(shards: [Int] = [0, 1]) -> HeartbeatAnswer {
        HeartbeatAnswer(
            nodeID: "node_1", jobID: "job_7", rank: 0, nnodes: 1, gpusPerNode: 1, shards: shards,
            datasetURI: "s3://data", shardObjects: true)
    }

    @Test("the objects are fetched once before the command starts, which then gets the dataset's URI")
    func fetchesThenStarts() {
        var machine = AgentMachine(settings: settings)
        _ = machine.start()
        #expect(machine.handle(.heartbeatAnswered(answer()), at: .seconds(1)) == [.fetchDataset])
        // Heartbeats go on meanwhile; a second answer does not fetch twice.
        #expect(machine.handle(.timer, at: .seconds(11)) == [.sendHeartbeat(.starting, exitCode: nil)])
        #expect(machine.handle(.heartbeatAnswered(answer(shards: [1])), at: .seconds(12)) == [])
        let actions = machine.handle(.datasetFetched, at: .seconds(13))
        #expect(actions.first == .writeShards([1]), "the newest answer's shards")
        guard case .startCommand(let environment) = actions.last else {
            Issue.record("expected the command to start, got \(actions)")
            return
        }
        #expect(environment["GRIDBROKER_DATASET_URI"] == "s3://data")
    }

    @Test("a failed fetch is asked again at the next answer; the command waits")
    func failedFetchIsRetried() {
        var machine = AgentMachine(settings: settings)
        _ = machine.start()
        #expect(machine.handle(.heartbeatAnswered(answer()), at: .seconds(1)) == [.fetchDataset])
        #expect(machine.handle(.datasetFetchFailed(reason: "503"), at: .seconds(2)) == [])
        _ = machine.handle(.timer, at: .seconds(11))
        #expect(machine.handle(.heartbeatAnswered(answer()), at: .seconds(12)) == [.fetchDataset])
    }
}
