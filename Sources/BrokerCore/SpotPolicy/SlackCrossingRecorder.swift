/// Finds, row after row of slack (ascending), where in slack a choice starts or stops beating its
/// alternative, in every cell (work grid point and age bucket) of a decision table: where a cell's
/// cost gap changes sign between two rows, the crossing is where the line between the two gaps
/// crosses zero, so a decision is as fine in slack as the policy's calls, not the grid's.
///
/// A choice can win, lose and win again as the slack grows when the hazards change with the time
/// of day (more slack at the same work left is an earlier hour), so every crossing is kept.
struct SlackCrossingRecorder: Sendable {
    /// Per cell, the gap in the last row recorded (positive before the first: the choice loses).
    private var lastGap: [Double]
    /// Crossings as they were found: the cell and the slack in seconds.
    private var found: [(cell: Int32, seconds: Float)] = []

    init(cells: Int) {
        lastGap = Array(repeating: 1, count: cells)
    }

    /// Records the expected costs of the choice and of its alternative in `cell` in row `row` (0, 1,
    /// ...). The choice wins when it saves more than ``SpotDecisionTable/tieSeconds``; one that
    /// cannot meet the deadline never wins, even against an alternative that cannot either.
    mutating func record(cell: Int, choice: Double, alternative: Double, row: Int, stepSeconds: Double) {
        let infeasible = SpotDecisionTable.infeasible
        record(
            cell: cell, gap: choice >= infeasible ? infeasible : choice - alternative + SpotDecisionTable.tieSeconds,
            row: row, stepSeconds: stepSeconds)
    }

    /// Records `gap` (cost of the choice minus cost of the alternative; negative: the choice wins)
    /// of `cell` in row `row`.
    mutating func record(cell: Int, gap: Double, row: Int, stepSeconds: Double) {
        let last = lastGap[cell]
        lastGap[cell] = gap
        guard (gap < 0) != (last < 0) else { return }
        let seconds = row == 0 ? 0 : (Double(row) + gap / (last - gap)) * stepSeconds
        found.append((Int32(cell), Float(seconds)))
    }

    /// The crossings found, by cell.
    func crossings() -> SlackCrossings {
        SlackCrossings(cells: lastGap.count, found: found)
    }
}
