import PostgresKit
import SQLiteKit

extension SQLClientStore {
    /// Whether `error` is a unique or primary-key violation (SQLite `SQLITE_CONSTRAINT_UNIQUE` /
    /// `_PRIMARYKEY`, PostgreSQL SQLSTATE 23505): the database refused a duplicate, which is how
    /// replays and duplicate ids are detected.
    static func isUniqueViolation(_ error: any Error) -> Bool {
        if let error = error as? SQLiteError {
            switch error.reason {
            case .constraint, .constraintUniqueFailed, .constraintPrimaryKeyFailed:
                return true
            default:
                return false
            }
        }
        if let error = error as? PSQLError, error.code == .server {
            return error.serverInfo?[.sqlState] == PostgresError.Code.uniqueViolation.raw
        }
        return false
    }

    /// `error` as a ``ClientStoreError``: duplicates are `.conflict`, rows that cannot be decoded
    /// are `.corrupt`, everything else (connection refused, timeout, disk full, locked) is
    /// `.unavailable`, which the HTTP layer answers with 503.
    static func storeError(_ error: any Error, during operation: String) -> ClientStoreError {
        if let error = error as? ClientStoreError {
            return error
        }
        if Self.isUniqueViolation(error) {
            return ClientStoreError(.conflict, "\(operation): \(Self.describe(error))")
        }
        if error is DecodingError {
            return ClientStoreError(.corrupt, "\(operation): a stored row cannot be read: \(error)")
        }
        return ClientStoreError(.unavailable, "\(operation): \(Self.describe(error))")
    }

    /// A log-safe description: PostgreSQL's message and SQLSTATE or the connection failure, never
    /// the statement's bound values.
    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as PSQLError:
            if let info = error.serverInfo {
                let state = info[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
                return "PostgreSQL: \(info[.message] ?? "error")\(state)"
            }
            if let underlying = error.underlying {
                return "PostgreSQL \(error.code): \(underlying)"
            }
            return "PostgreSQL \(error.code)"
        case let error as SQLiteError:
            return "SQLite: \(error.message) (\(error.reason))"
        case is CancellationError:
            return "cancelled"
        default:
            return String(describing: error)
        }
    }
}
