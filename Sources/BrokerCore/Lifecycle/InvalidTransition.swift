/// An event that the current state of a job or node does not allow, e.g.
/// "job cannot 'start' from 'queued'".
public struct InvalidTransition: Error, Sendable, Hashable, CustomStringConvertible {
    /// "job" or "node".
    public var subject: String
    /// The raw value of the state the event was applied to.
    public var state: String
    /// The raw value of the rejected event.
    public var event: String

    public init(subject: String, state: String, event: String) {
        self.subject = subject
        self.state = state
        self.event = event
    }

    public var description: String { "\(subject) cannot '\(event)' from '\(state)'" }
}
