/// A benchmark that cannot run (a missing or bad input file): the message says which and why.
struct BenchError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
