/// One instance of a JSON listing that names instances by `id`, `name` and `status` (Lambda's
/// `/instances`, Shadeform's `/instances`), read leniently: a record missing a field is skipped,
/// not a failed listing.
struct ListedInstance: Decodable {
    var id: String?
    var name: String?
    var status: String?

    private enum CodingKeys: String, CodingKey {
        case id, name, status
    }

    init(from decoder: any Decoder) throws {
        guard let container = try? decoder.container(keyedBy: CodingKeys.self) else { return }
        id = container.lenientID(.id)
        name = container.lenientString(.name)
        status = container.lenientString(.status)
    }

    /// The instance as the broker sees it, or nil when it carries no gridbroker tag. Statuses not
    /// in `statuses` are taken as still starting.
    func tagged(statuses: [String: InstanceStatus]) -> ProviderInstance? {
        guard let id, let nodeID = InstanceTag.nodeID(fromName: name) else { return nil }
        return ProviderInstance(nativeID: id, nodeID: nodeID, status: status.flatMap { statuses[$0] } ?? .pending)
    }
}
