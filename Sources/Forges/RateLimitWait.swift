import Foundation

/// How long a rate-limited answer asks Capstan to wait, from the headers each forge uses:
/// `Retry-After` (seconds or an HTTP date), GitHub's `x-ratelimit-reset` (epoch seconds,
/// when `x-ratelimit-remaining` is 0) and GitLab's `RateLimit-Reset` (epoch seconds).
enum RateLimitWait {
    /// nil when the answer is not a rate limit.
    static func seconds(for answer: HTTPAnswer, now: Date = Date()) -> Double? {
        let secondaryLimit = answer.status == 403 && (answer.header("Retry-After") != nil
            || answer.header("x-ratelimit-remaining") == "0"
            || String(decoding: answer.body, as: UTF8.self).localizedCaseInsensitiveContains("rate limit"))
        guard answer.status == 429 || secondaryLimit else { return nil }
        if let value = answer.header("Retry-After") {
            if let seconds = Double(value.trimmingCharacters(in: .whitespaces)) { return max(0, seconds) }
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
            if let date = formatter.date(from: value) { return max(0, date.timeIntervalSince(now)) }
        }
        for name in ["x-ratelimit-reset", "RateLimit-Reset"] {
            if let value = answer.header(name), let epoch = Double(value) {
                return max(0, epoch - now.timeIntervalSince1970)
            }
        }
        // Rate limited with no hint: GitHub documents waiting at least a minute for secondary limits.
        return answer.status == 429 ? 1 : 60
    }
}
