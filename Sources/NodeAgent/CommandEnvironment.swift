/// The variables the agent adds to the command's environment, from the broker's answer.
public enum CommandEnvironment {
    public static func variables(for answer: HeartbeatAnswer, settings: AgentSettings) -> [String: String] {
        var variables = [
            "GRIDBROKER_NODE_ID": answer.nodeID,
            "GRIDBROKER_JOB_ID": answer.jobID,
            "NODE_RANK": "\(answer.rank)",
            "NNODES": "\(answer.nnodes)",
            "GPUS_PER_NODE": "\(answer.gpusPerNode)",
            "GRIDBROKER_SHARDS_FILE": settings.shardsFile,
            "GRIDBROKER_PROGRESS_FILE": settings.progressFile,
        ]
        if let address = answer.masterAddress ?? (answer.rank == 0 ? "127.0.0.1" : nil) {
            variables["MASTER_ADDR"] = address
        }
        if let port = answer.masterPort { variables["MASTER_PORT"] = "\(port)" }
        if let uri = answer.checkpointURI { variables["GRIDBROKER_CHECKPOINT_URI"] = uri }
        if let resume = answer.resumeFrom { variables["GRIDBROKER_RESUME_FROM"] = resume }
        if let dataset = answer.datasetURI { variables["GRIDBROKER_DATASET_URI"] = dataset }
        return variables
    }

    /// Variables of the agent's own environment the command must not see: its secret.
    public static let withheld: Set<String> = ["GRIDBROKER_AGENT_TOKEN"]
}
