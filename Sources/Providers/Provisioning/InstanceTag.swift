/// How instances carry the broker's node id: a name (Vast `label`, RunPod `name`, Lambda `name`,
/// Shadeform `name`) of `gridbroker-<node id>`, or on AWS the tag ``awsKey`` = node id.
public enum InstanceTag {
    public static let namePrefix = "gridbroker-"
    /// The EC2 tag key whose value is the node id.
    public static let awsKey = "gridbroker-node"

    /// The instance name that tags `nodeID`.
    public static func name(for nodeID: String) -> String { namePrefix + nodeID }

    /// The node id an instance name tags, or nil when the instance is not the broker's.
    public static func nodeID(fromName name: String?) -> String? {
        guard let name, name.hasPrefix(namePrefix), name.count > namePrefix.count else { return nil }
        return String(name.dropFirst(namePrefix.count))
    }
}
