import HummingbirdBcrypt

/// Password hashing for people who sign in to the web pages: bcrypt, cost 12.
public enum PasswordHasher {
    public static let minimumLength = 8

    public static func hash(_ password: String) throws -> String {
        guard password.count >= minimumLength else {
            throw FolioError.badRequest("a password needs at least \(minimumLength) characters")
        }
        return Bcrypt.hash(password, cost: 12)
    }

    public static func verify(_ password: String, hash: String) -> Bool {
        Bcrypt.verify(password, hash: hash)
    }
}
