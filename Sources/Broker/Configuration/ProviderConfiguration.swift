import BrokerCore
import Providers

/// The provider APIs gridbroker speaks.
public enum ProviderKind: String, Sendable, CaseIterable {
    case vast, runpod, lambda, aws, shadeform
}

/// One provider entry of the config file. Credentials are named (an environment variable),
/// never written in the file.
public struct ProviderConfiguration: Sendable, Equatable {
    /// Unique; offers are `<id>:<native id>`.
    public var id: String
    public var kind: ProviderKind
    /// The API's base URL (the simulated market's in the demo).
    public var baseURL: String?
    /// The environment variable that holds the API key (AWS: the access key id).
    public var apiKeyEnv: String?
    /// The environment variable that holds the API secret (AWS: the secret access key).
    public var apiSecretEnv: String?
    /// The environment variable that holds a session token, for temporary credentials (AWS).
    public var apiSessionTokenEnv: String?
    /// The regions to poll (AWS).
    public var regions: [String]
    /// How many instances each region may run at once (AWS), where the config says: each AWS
    /// offer's capacity.
    public var maxInstances: [String: Int]
    /// On-demand prices per instance type (AWS publishes spot prices only through the API polled).
    public var onDemandPrices: [String: Money]
    public var enabled: Bool
    public var pollIntervalSeconds: Int
    /// Offers not seen for this long are withdrawn.
    public var offerExpirySeconds: Int
    /// How long a launch may take to reach running before it is abandoned (the scheduler's
    /// default when nil).
    public var launchTimeoutSeconds: Int?
    /// The SSH keys Lambda installs on launched instances (Lambda requires one).
    public var sshKeyNames: [String]
    /// The AMI AWS nodes boot.
    public var imageID: String?
    /// What a spot bid adds to the ask, in millionths (Vast.ai, RunPod: they charge the bid).
    public var bidMarginPPM: Int64

    public init(
        id: String, kind: ProviderKind, baseURL: String? = nil, apiKeyEnv: String? = nil, apiSecretEnv: String? = nil,
        regions: [String] = [], onDemandPrices: [String: Money] = [:], enabled: Bool = true,
        pollIntervalSeconds: Int = 60, offerExpirySeconds: Int = 300, launchTimeoutSeconds: Int? = nil,
        sshKeyNames: [String] = [], imageID: String? = nil,
        apiSessionTokenEnv: String? = nil, maxInstances: [String: Int] = [:],
        bidMarginPPM: Int64 = SpotBid.defaultMarginPPM
    ) {
        self.id = id
        self.kind = kind
        self.baseURL = baseURL
        self.apiKeyEnv = apiKeyEnv
        self.apiSecretEnv = apiSecretEnv
        self.regions = regions
        self.onDemandPrices = onDemandPrices
        self.enabled = enabled
        self.pollIntervalSeconds = pollIntervalSeconds
        self.offerExpirySeconds = offerExpirySeconds
        self.launchTimeoutSeconds = launchTimeoutSeconds
        self.sshKeyNames = sshKeyNames
        self.imageID = imageID
        self.apiSessionTokenEnv = apiSessionTokenEnv
        self.maxInstances = maxInstances
        self.bidMarginPPM = bidMarginPPM
    }
}
