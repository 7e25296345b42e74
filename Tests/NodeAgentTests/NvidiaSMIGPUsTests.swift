import Testing

@testable import NodeAgent

@Suite("A machine's GPUs from nvidia-smi")
struct NvidiaSMIGPUsTests {
    @Test("one line a GPU: the name, how many, and memory in GB")
    func eightA100s() {
        let output = String(repeating: "NVIDIA A100-SXM4-80GB, 81920 MiB\n", count: 8)
        #expect(
            NvidiaSMIGPUs.parse(output)
                == .success(NvidiaSMIGPUs(name: "NVIDIA A100-SXM4-80GB", count: 8, memoryGB: 80)))
    }

    @Test("mixed models, no GPU or an unreadable line are errors that say what to do")
    func refusals() {
        let mixed = NvidiaSMIGPUs.parse("NVIDIA L4, 23034 MiB\nNVIDIA A10, 23028 MiB\n")
        #expect(
            mixed
                == .failure(
                    .init(message: "the GPUs are of several models (NVIDIA A10, NVIDIA L4); give --gpu and --gpus")))
        #expect(NvidiaSMIGPUs.parse("\n") == .failure(.init(message: "nvidia-smi lists no GPU")))
        #expect(
            NvidiaSMIGPUs.parse("No devices were found")
                == .failure(.init(message: "cannot read the nvidia-smi line 'No devices were found'")))
    }
}
