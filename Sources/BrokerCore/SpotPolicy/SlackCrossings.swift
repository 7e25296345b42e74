/// Where in slack a choice of a decision table starts and stops beating its alternative, per cell
/// (work grid point and age bucket), ascending: it wins from its first crossing to its second, from
/// its third to its fourth, and so on (and past an odd last one, through any slack). A cell with no
/// crossing never wins; one whose choice won with no slack at all has a crossing at 0.
struct SlackCrossings: Sendable {
    /// Where each cell's crossings begin in ``seconds``, and where the last one's end.
    private let offsets: [Int32]
    private let seconds: [Float]

    /// From crossings found in ascending slack for each cell.
    init(cells: Int, found: [(cell: Int32, seconds: Float)]) {
        var counts = Array(repeating: Int32(0), count: cells + 1)
        for crossing in found { counts[Int(crossing.cell) + 1] += 1 }
        for cell in 0..<cells { counts[cell + 1] += counts[cell] }
        offsets = counts
        var next = counts
        var seconds = Array(repeating: Float(0), count: found.count)
        for crossing in found {
            seconds[Int(next[Int(crossing.cell)])] = crossing.seconds
            next[Int(crossing.cell)] += 1
        }
        self.seconds = seconds
    }

    /// Whether the choice wins at `slack` between cells `low` and `high` (neighbours in work, or
    /// one cell twice), `fraction` of the way to `high`: with as many crossings in both, each
    /// crossing lies on the line between theirs; otherwise the nearest cell decides.
    func wins(at slack: Float, between low: Int, and high: Int, fraction: Float) -> Bool {
        let lowStart = Int(offsets[low])
        let highStart = Int(offsets[high])
        let count = Int(offsets[low + 1]) - lowStart
        guard count == Int(offsets[high + 1]) - highStart else {
            let nearest = fraction < 0.5 ? low : high
            return wins(at: slack, between: nearest, and: nearest, fraction: 0)
        }
        var wins = false
        for index in 0..<count {
            let a = seconds[lowStart + index]
            if a + fraction * (seconds[highStart + index] - a) > slack { break }
            wins.toggle()
        }
        return wins
    }
}
