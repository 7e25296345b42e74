/// One GPU model as the broker knows it: a canonical name, its memory and its training speed.
public struct GPUModel: Sendable, Hashable, Codable {
    /// The canonical name used everywhere inside the broker and in the API, e.g. "H100-SXM".
    public var name: String
    /// The chip family a query like `gpu=H100` selects, e.g. "H100" for H100-SXM, -PCIE and -NVL.
    public var family: String
    public var vendor: GPUVendor
    /// Memory per GPU in GB, as clouds sell it (B200: 180, GH200: 96).
    public var memoryGB: Int
    /// Approximate training throughput relative to an A100-80GB (1.0).
    ///
    /// The ratio of the vendor's peak dense BF16 tensor throughput (FP16 where the chip has no BF16,
    /// FP32-accumulate rates for GeForce cards) to the A100's 312 TFLOPS. A rough proxy for ranking
    /// by cost to finish: real speedups are smaller for memory- or communication-bound work.
    public var relativeSpeed: Double
    /// Other spellings providers use for this model; matched after normalization (see ``GPUCatalog``).
    public var aliases: [String]

    public init(
        name: String,
        family: String,
        vendor: GPUVendor,
        memoryGB: Int,
        relativeSpeed: Double,
        aliases: [String] = []
    ) {
        self.name = name
        self.family = family
        self.vendor = vendor
        self.memoryGB = memoryGB
        self.relativeSpeed = relativeSpeed
        self.aliases = aliases
    }
}
