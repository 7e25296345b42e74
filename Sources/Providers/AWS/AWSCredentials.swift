/// An AWS access key: the key id, its secret, and the session token of temporary credentials.
///
/// The secret and the session token are never printed: ``description``, ``debugDescription`` and
/// the mirror `dump` walks show them redacted.
public struct AWSCredentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The access key id, e.g. "AKIAIOSFODNN7EXAMPLE". Not a secret; printed.
    public var accessKeyID: String
    /// The secret access key that signs requests.
    public var secretAccessKey: String
    /// The session token of temporary (STS) credentials, sent as `X-Amz-Security-Token`.
    public var sessionToken: String?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    /// Whether both the key id and the secret are set (non-empty once trimmed).
    public var isComplete: Bool {
        !accessKeyID.allSatisfy(\.isWhitespace) && !secretAccessKey.allSatisfy(\.isWhitespace)
    }

    public var description: String {
        let token = sessionToken == nil ? "nil" : "<redacted>"
        return "AWSCredentials(accessKeyID: \(accessKeyID), secretAccessKey: <redacted>, sessionToken: \(token))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "accessKeyID": accessKeyID,
                "secretAccessKey": "<redacted>",
                "sessionToken": sessionToken == nil ? "nil" : "<redacted>",
            ],
            displayStyle: .struct
        )
    }
}
