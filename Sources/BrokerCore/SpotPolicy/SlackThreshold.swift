/// The least slack, in seconds, from which on a choice beats its alternative, found row after row
/// of slack (ascending) from the choice's cost gaps: where the gap turns negative between two rows,
/// the threshold is where the line between the two gaps crosses zero, so a decision is as fine in
/// slack as the policy's calls, not the grid's.
struct SlackThreshold: Sendable, Equatable {
    /// The slack from which on the choice wins; infinity while it loses in the last row.
    private(set) var seconds = Float.infinity
    /// The gap in the last row recorded.
    private var lastGap = 0.0

    /// Records `gap` (cost of the choice minus cost of the alternative) in row `row` (0, 1, ...).
    mutating func record(gap: Double, row: Int, stepSeconds: Double) {
        if gap >= 0 {
            seconds = .infinity
        } else if row == 0 {
            seconds = 0
        } else if lastGap >= 0 {
            seconds = Float((Double(row) - gap / (gap - lastGap)) * stepSeconds)
        }
        lastGap = gap
    }
}
