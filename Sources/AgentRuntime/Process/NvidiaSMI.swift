#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The machine's GPUs as nvidia-smi lists them, when it is installed.
public enum NvidiaSMI {
    /// The query a machine's GPUs are read with.
    public static let command = "nvidia-smi --query-gpu=name,memory.total --format=csv,noheader"

    /// nvidia-smi's output, or nil when it is not there or fails.
    public static func query() -> String? {
        guard let pipe = popen(command + " 2>/dev/null", "r") else { return nil }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&buffer, 1, buffer.count, pipe)
            if count <= 0 { break }
            output += buffer[0..<count]
        }
        let status = pclose(pipe)
        guard status == 0 else { return nil }
        return String(decoding: output, as: UTF8.self)
    }
}
