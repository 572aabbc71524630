/// An access key pair, optionally with an STS session token.
///
/// The secret and the token never appear in `description`, `debugDescription` or `dump`:
/// a credential that ends up in a log line or an error message must not be usable.
public struct AWSCredentials: Sendable, Equatable {
    public var accessKeyID: String
    public var secretAccessKey: String
    public var sessionToken: String?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }
}

extension AWSCredentials: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        // The access key id is an identifier (AWS logs it in CloudTrail), so it stays readable.
        let token = sessionToken == nil ? "nil" : "<redacted>"
        return "AWSCredentials(accessKeyID: \(accessKeyID), secretAccessKey: <redacted>, sessionToken: \(token))"
    }

    public var debugDescription: String { description }

    // Without this, `dump(credentials)` would walk the stored properties and print the secret.
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
