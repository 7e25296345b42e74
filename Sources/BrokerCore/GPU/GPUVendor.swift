/// Who makes a GPU.
public enum GPUVendor: String, Sendable, Hashable, Codable, CaseIterable {
    case nvidia
    case amd
}
