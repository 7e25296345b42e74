import BrokerCore
import Foundation
import GRDB

/// ``OfferRepository`` on the broker's database.
///
/// Ingest is one write transaction per poll, binding rows straight into one prepared statement,
/// so a 100,000-offer poll stays under a second.
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
        // In key order the upserts walk the primary key's b-tree from left to right instead of
        // jumping about it: about a third less time for a large poll. Sorted before the write lock.
        let keyOrder = offers.indices.sorted { offers[$0].id < offers[$1].id }
        return try await database.pool.write { db in
            var row = RowBinder(try db.makeStatement(sql: Self.upsertSQL), in: db)
            let seen = String.fromDatabaseValue(now.databaseValue) ?? ""
            for index in keyOrder {
                let offer = offers[index]
                row.bind(offer.id.description)
                row.bind(offer.providerID)
                row.bind(offer.id.native)
                row.bind(offer.gpu.name)
                row.bind(offer.gpu.model != nil)
                row.bind(offer.gpuCount)
                row.bind(offer.gpuMemoryGB)
                row.bind(offer.interconnect)
                row.bind(offer.vcpus)
                row.bind(offer.memoryGB)
                row.bind(offer.diskGB)
                row.bind(offer.region)
                row.bind(offer.country)
                row.bind(offer.market.rawValue)
                row.bind(offer.pricePerHour.microdollars)
                row.bind(offer.pricePerGPUHour.microdollars)
                row.bind(offer.available)
                row.bind(offer.reliability)
                row.bind(seen)
                row.bind(seen)
                row.bind(offer.raw)
                try row.step()
            }
            let withdrawn = try Self.withdraw(db, provider: provider, before: expiredBefore, at: now)
            let points = try Self.recordPriceChanges(db, offers: offers, provider: provider, at: now)
            try Self.recordSpotCapacityChanges(db, offers: offers, provider: provider, at: now)
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

    /// Spot capacity series key: (gpu, gpu count, region).
    private struct CapacitySeries: Hashable {
        var gpu: String
        var gpuCount: Int
        var region: String
    }

    /// Inserts a point for every spot series of the provider whose node count differs from its
    /// last point: the poll's sum of `available`, or 0 for a series the poll no longer has.
    private static func recordSpotCapacityChanges(_ db: Database, offers: [Offer], provider: String, at now: Date)
        throws
    {
        var counts: [CapacitySeries: Int] = [:]
        for offer in offers where offer.market == .spot {
            counts[CapacitySeries(gpu: offer.gpu.name, gpuCount: offer.gpuCount, region: offer.region), default: 0] +=
                offer.available
        }
        var latest: [CapacitySeries: Int] = [:]
        let rows = try Row.fetchCursor(
            db, sql: "SELECT gpu, gpu_count, region, available FROM spot_capacity_latest WHERE provider_id = ?",
            arguments: [provider])
        while let row = try rows.next() {
            latest[CapacitySeries(gpu: row[0], gpuCount: row[1], region: row[2])] = row[3]
        }
        for series in latest.keys where counts[series] == nil { counts[series] = 0 }
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO spot_capacity (provider_id, gpu, gpu_count, region, available, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """)
        let remember = try db.cachedStatement(
            sql: """
                INSERT INTO spot_capacity_latest (provider_id, gpu, gpu_count, region, available) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (provider_id, gpu, gpu_count, region) DO UPDATE SET available = excluded.available
                """)
        for (series, count) in counts where latest[series] != count {
            let arguments: StatementArguments = [provider, series.gpu, series.gpuCount, series.region, count]
            try insert.execute(arguments: arguments + [now])
            try remember.execute(arguments: arguments)
        }
    }

    // MARK: Reading

    public func spotCapacity(gpus: [String], gpuCount: Int, since: Date) async throws -> [SpotCapacityPoint] {
        guard !gpus.isEmpty else { return [] }
        return try await database.pool.read { db in
            let marks = Array(repeating: "?", count: gpus.count).joined(separator: ", ")
            var arguments = StatementArguments(gpus)
            arguments += [gpuCount, since]
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT provider_id, gpu, gpu_count, region, available, recorded_at FROM spot_capacity
                    WHERE gpu IN (\(marks)) AND gpu_count = ? AND recorded_at >= ? ORDER BY recorded_at, id
                    """, arguments: arguments
            ).map { row in
                SpotCapacityPoint(
                    series: SpotCapacityPoint.Series(
                        provider: row[0], gpu: row[1], gpuCount: row[2], region: row[3]),
                    available: row[4], recordedAt: row[5])
            }
        }
    }

    public func liveOffers() async throws -> [Offer] {
        try await database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM offer WHERE withdrawn_at IS NULL").map(offer(from:))
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
