import Mustache

/// The users page (`admin-users.mustache`).
struct UsersView: MustacheParent {
    struct Message: MustacheParent {
        /// The paragraph's class: notice or error.
        let style: String
        let text: String
        func child(named key: String) -> Any? {
            switch key {
            case "style": style
            case "text": text
            default: nil
            }
        }
    }

    struct Row: MustacheParent {
        let id: String
        let login: String
        let displayName: String
        let isAdmin: Bool
        let isDisabled: Bool
        /// The administrator looking: they cannot disable themselves.
        let isSelf: Bool
        func child(named key: String) -> Any? {
            switch key {
            case "id": id
            case "login": login
            case "displayName": displayName
            case "isAdmin": isAdmin
            case "isDisabled": isDisabled
            case "isSelf": isSelf
            default: nil
            }
        }
    }

    let message: Message?
    let csrf: String
    let rows: [Row]

    func child(named key: String) -> Any? {
        switch key {
        case "message": message
        case "csrf": csrf
        case "rows": rows
        default: nil
        }
    }
}

/// The application API page (`admin-api.mustache`): keys, and each webhook's deliveries.
struct APIView: MustacheParent {
    struct Key: MustacheParent {
        let id: String
        let name: String
        let scopes: String
        let revoked: Bool
        func child(named key: String) -> Any? {
            switch key {
            case "id": id
            case "name": name
            case "scopes": scopes
            case "revoked": revoked
            default: nil
            }
        }
    }

    struct Delivery: MustacheParent {
        let time: WebTime
        let event: String
        let attempts: Int
        let delivered: Bool
        let gaveUp: Bool
        let lastStatus: Int
        let lastError: String?
        func child(named key: String) -> Any? {
            switch key {
            case "time": time
            case "event": event
            case "attempts": attempts
            case "delivered": delivered
            case "gaveUp": gaveUp
            case "pending": !delivered && !gaveUp
            case "lastStatus": lastStatus
            case "lastError": lastError
            default: nil
            }
        }
    }

    struct Hook: MustacheParent {
        let url: String
        let events: String
        let deliveries: [Delivery]
        func child(named key: String) -> Any? {
            switch key {
            case "url": url
            case "events": events
            case "deliveries": deliveries
            default: nil
            }
        }
    }

    let created: String?
    let csrf: String
    let keys: [Key]
    let scopeNames: [String]
    let hooks: [Hook]

    func child(named key: String) -> Any? {
        switch key {
        case "created": created
        case "csrf": csrf
        case "keys": keys
        case "scopeNames": scopeNames
        case "hooks": hooks
        default: nil
        }
    }
}
