import Foundation

/// Calendar arithmetic on the proleptic Gregorian calendar (Howard Hinnant's algorithms): no
/// Calendar, no locale, no time zone of the machine, so dates come out the same everywhere.
/// Days count from 1970-01-01.
public enum CivilDate {
    public static func days(year y0: Int, month m: Int, day d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func civil(days z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// (year, month, day, hour, minute, second, weekday 0 = Sunday) of a second since the epoch.
    public static func fields(_ epoch: Int64) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, weekday: Int) {
        var days = epoch / 86_400
        var rem = epoch % 86_400
        if rem < 0 { rem += 86_400; days -= 1 }
        let (y, m, d) = civil(days: Int(days))
        let wd = Int(((days + 4) % 7 + 7) % 7)
        return (y, m, d, Int(rem / 3600), Int(rem / 60 % 60), Int(rem % 60), wd)
    }

    /// `2024-03-05T00:24:07Z`
    public static func isoUTC(_ epoch: Int64) -> String {
        let f = fields(epoch)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", f.year, f.month, f.day, f.hour, f.minute, f.second)
    }
}
