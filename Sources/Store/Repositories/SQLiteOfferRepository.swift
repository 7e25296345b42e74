import BrokerCore
import Foundation
import GRDB

/// ``OfferRepository`` on the broker's database.
///
/// Ingest is one write transaction per poll, binding rows through one cached prepared statement,
/// so a 100,000-offer poll stays well under a second.
public struct SQLiteOfferRepository: OfferRepository {
    private let database: BrokerDatabase
    private let catalog: GPUCatalog

    public init(database: BrokerDatabase, catalog: GPUCatalog = .standard) {
        self.database = database
        self.catalog = catalog
    }

    // MARK: Writing

    public func ingest(_ offers: [Offer], provider: String, at now: Date, expiredBefore: Date) async throws
        -> IngestSummary
    {
        try await database.pool.write { db in
            let upsert = try db.cachedStatement(sql: Self.upsertSQL)
            let seen = now.databaseValue
            for offer in offers {
                try upsert.execute(arguments: [
                    offer.id.description, offer.providerID, offer.id.native, offer.gpu.name, offer.gpu.model != nil,
                    offer.gpuCount, offer.gpuMemoryGB, offer.interconnect, offer.vcpus, offer.memoryGB, offer.diskGB,
                    offer.region, offer.country, offer.market.rawValue, offer.pricePerHour.microdollars,
                    offer.pricePerGPUHour.microdollars, offer.available, offer.reliability, seen, seen, offer.raw,
                ])
            }
            let withdrawn = try Self.withdraw(db, provider: provider, before: expiredBefore, at: now)
            let points = try Self.recordPriceChanges(db, offers: offers, provider: provider, at: now)
            return IngestSummary(upserted: offers.count, withdrawn: withdrawn, pricePointsRecorded: points)
        }
    }

    public func withdrawExpired(provider: String, before cutoff: Date, at now: Date) async throws -> Int {
        try await database.pool.write { db in try Self.withdraw(db, provider: provider, before: cutoff, at: now) }
    }

    private static let upsertSQL = """
        INSERT INTO offer (id, provider_id, native_id, gpu, gpu_known, gpu_count, gpu_memory_gb, interconnect,
            vcpus, memory_gb, disk_gb, region, country, market, price_per_hour_micros, price_per_gpu_hour_micros,
            available, reliability, first_seen_at, last_seen_at, raw)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET
            gpu = excluded.gpu, gpu_known = excluded.gpu_known, gpu_count = excluded.gpu_count,
            gpu_memory_gb = excluded.gpu_memory_gb, interconnect = excluded.interconnect, vcpus = excluded.vcpus,
            memory_gb = excluded.memory_gb, disk_gb = excluded.disk_gb, region = excluded.region,
            country = excluded.country, market = excluded.market,
            price_per_hour_micros = excluded.price_per_hour_micros,
            price_per_gpu_hour_micros = excluded.price_per_gpu_hour_micros, available = excluded.available,
            reliability = excluded.reliability, last_seen_at = excluded.last_seen_at, withdrawn_at = NULL,
            raw = excluded.raw
        """

    private static func withdraw(_ db: Database, provider: String, before cutoff: Date, at now: Date) throws -> Int {
        try db.execute(
            sql: """
                UPDATE offer SET withdrawn_at = ?
                WHERE provider_id = ? AND withdrawn_at IS NULL AND last_seen_at < ?
                """,
            arguments: [now, provider, cutoff])
        return db.changesCount
    }

    /// Series key: (gpu, region, market).
    private struct Series: Hashable {
        var gpu: String
        var region: String
        var market: String
    }

    /// Inserts a point for every series of `offers` whose cheapest price per GPU-hour differs from
    /// the series' last point. Returns how many.
    private static func recordPriceChanges(_ db: Database, offers: [Offer], provider: String, at now: Date) throws
        -> Int
    {
        var cheapest: [Series: Int64] = [:]
        for offer in offers {
            let key = Series(gpu: offer.gpu.name, region: offer.region, market: offer.market.rawValue)
            let price = offer.pricePerGPUHour.microdollars
            if let known = cheapest[key], known <= price { continue }
            cheapest[key] = price
        }
        var latest: [Series: Int64] = [:]
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT gpu, region, market, price_per_gpu_hour_micros FROM price_point
                WHERE id IN (SELECT max(id) FROM price_point WHERE provider_id = ? GROUP BY gpu, region, market)
                """,
            arguments: [provider])
        while let row = try rows.next() {
            latest[Series(gpu: row[0], region: row[1], market: row[2])] = row[3]
        }
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO price_point (provider_id, gpu, region, market, price_per_gpu_hour_micros, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """)
        var recorded = 0
        for (series, price) in cheapest where latest[series] != price {
            try insert.execute(arguments: [provider, series.gpu, series.region, series.market, price, now])
            recorded += 1
        }
        return recorded
    }

    // MARK: Reading

    public func search(_ filter: OfferFilter, after cursor: OfferCursor?, limit: Int) async throws -> OfferPage {
        let sortColumn = filter.sort == .price ? "price_per_hour_micros" : "price_per_gpu_hour_micros"
        var conditions = ["withdrawn_at IS NULL"]
        var arguments = StatementArguments()
        func isIn(_ column: String, _ values: Set<String>?) {
            guard let values else { return }
            conditions.append("\(column) IN (\(databaseQuestionMarks(count: values.count)))")
            arguments += StatementArguments(values.sorted())
        }
        func atLeast(_ column: String, _ value: Int?) {
            guard let value else { return }
            conditions.append("\(column) >= ?")
            arguments += [value]
        }
        isIn("gpu", filter.gpus)
        atLeast("gpu_count", filter.minGPUs)
        atLeast("gpu_memory_gb", filter.minGPUMemoryGB)
        isIn("market", filter.market.map { [$0.rawValue] })
        if let maxPrice = filter.maxPricePerHour {
            conditions.append("price_per_hour_micros <= ?")
            arguments += [maxPrice.microdollars]
        }
        isIn("country", filter.countries)
        isIn("region", filter.regions)
        isIn("provider_id", filter.providers)
        if let cursor {
            conditions.append("(\(sortColumn) > ? OR (\(sortColumn) = ? AND id > ?))")
            arguments += [cursor.sortKey.microdollars, cursor.sortKey.microdollars, cursor.offerID]
        }
        let sql = """
            SELECT * FROM offer WHERE \(conditions.joined(separator: " AND "))
            ORDER BY \(sortColumn), id LIMIT ?
            """
        arguments += [limit + 1]
        let offers = try await database.pool.read { [arguments] db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map(offer(from:))
        }
        guard offers.count > limit, let last = offers.prefix(limit).last else {
            return OfferPage(offers: offers, next: nil)
        }
        return OfferPage(
            offers: Array(offers.prefix(limit)),
            next: OfferCursor(sortKey: filter.sortKey(of: last), offerID: last.id.description))
    }

    public func gpuSummaries() async throws -> [GPUMarketSummary] {
        try await database.pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    WITH ranked AS (
                        SELECT gpu, market, price_per_gpu_hour_micros AS price,
                            ROW_NUMBER() OVER (PARTITION BY gpu, market ORDER BY price_per_gpu_hour_micros) AS rank,
                            COUNT(*) OVER (PARTITION BY gpu, market) AS total
                        FROM offer WHERE withdrawn_at IS NULL)
                    SELECT gpu, market, total, MIN(price) AS cheapest,
                        CAST(ROUND(AVG(CASE WHEN rank IN ((total + 1) / 2, (total + 2) / 2) THEN price END))
                            AS INTEGER) AS median
                    FROM ranked WHERE rank = 1 OR rank IN ((total + 1) / 2, (total + 2) / 2)
                    GROUP BY gpu, market ORDER BY gpu, market
                    """
            ).compactMap { row in
                guard let market = Market(rawValue: row["market"]) else { return nil }
                return GPUMarketSummary(
                    gpu: row["gpu"], market: market, offers: row["total"],
                    cheapestPerGPUHour: Money(microdollars: row["cheapest"]),
                    medianPerGPUHour: Money(microdollars: row["median"]))
            }
        }
    }

    public func priceHistory(_ query: PriceHistoryQuery) async throws -> [PricePoint] {
        var conditions = ["gpu = ?"]
        var arguments: StatementArguments = [query.gpu]
        if let provider = query.provider {
            conditions.append("provider_id = ?")
            arguments += [provider]
        }
        if let region = query.region {
            conditions.append("region = ?")
            arguments += [region]
        }
        if let market = query.market {
            conditions.append("market = ?")
            arguments += [market.rawValue]
        }
        if let since = query.since {
            conditions.append("recorded_at >= ?")
            arguments += [since]
        }
        if let until = query.until {
            conditions.append("recorded_at < ?")
            arguments += [until]
        }
        arguments += [query.limit]
        let sql = """
            SELECT * FROM price_point WHERE \(conditions.joined(separator: " AND "))
            ORDER BY recorded_at, id LIMIT ?
            """
        return try await database.pool.read { [arguments] db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).compactMap { row in
                guard let market = Market(rawValue: row["market"]) else { return nil }
                return PricePoint(
                    provider: row["provider_id"], gpu: row["gpu"], region: row["region"], market: market,
                    pricePerGPUHour: Money(microdollars: row["price_per_gpu_hour_micros"]),
                    recordedAt: row["recorded_at"])
            }
        }
    }

    public func liveOfferCounts() async throws -> [String: Int] {
        try await database.pool.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT provider_id, COUNT(*) FROM offer WHERE withdrawn_at IS NULL GROUP BY provider_id")
            return Dictionary(uniqueKeysWithValues: rows.map { ($0[0], $0[1]) })
        }
    }

    private func offer(from row: Row) throws -> Offer {
        let gpuName: String = row["gpu"]
        let known: Bool = row["gpu_known"]
        guard let id = OfferID(row["id"]), let market = Market(rawValue: row["market"]) else {
            throw StoreError.corruptRecord("offer \(row["id"] as String? ?? "?")")
        }
        return Offer(
            id: id,
            gpu: known ? (catalog.model(named: gpuName).map(GPUName.known) ?? .unknown(gpuName)) : .unknown(gpuName),
            gpuCount: row["gpu_count"], gpuMemoryGB: row["gpu_memory_gb"], interconnect: row["interconnect"],
            vcpus: row["vcpus"], memoryGB: row["memory_gb"], diskGB: row["disk_gb"], region: row["region"],
            country: row["country"], market: market, pricePerHour: Money(microdollars: row["price_per_hour_micros"]),
            available: row["available"], reliability: row["reliability"], firstSeenAt: row["first_seen_at"],
            lastSeenAt: row["last_seen_at"], raw: row["raw"])
    }
}
