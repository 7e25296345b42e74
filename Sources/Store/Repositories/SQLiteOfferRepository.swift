import BrokerCore
import Foundation
import GRDB

/// ``OfferRepository`` on the broker's database.
///
/// A poll writes one transaction of what it changed: new and changed offers bound straight into
/// one prepared statement, the provider's listing time, and the offers it stopped listing or
/// withdrew. An offer listed as it was costs nothing; its last sighting is the listing's.
public struct SQLiteOfferRepository: OfferRepository {
    private let database: BrokerDatabase
    private let catalog: GPUCatalog

    public init(database: BrokerDatabase, catalog: GPUCatalog = .standard) {
        self.database = database
        self.catalog = catalog
    }

    // MARK: Writing

    public func ingest(_ changes: OfferChanges, listing: [Offer], provider: String, at now: Date) async throws
        -> IngestSummary
    {
        // In key order the upserts walk the primary key's b-tree from left to right instead of
        // jumping about it: about a third less time for a large poll. Sorted before the write lock.
        let upserted = changes.upserted
        let keyOrder = upserted.indices.sorted { upserted[$0].id < upserted[$1].id }
        return try await database.pool.write { db in
            if let listedAt = changes.listedAt {
                try db.execute(
                    sql: """
                        INSERT INTO offer_listing (provider_id, listed_at) VALUES (?, ?)
                        ON CONFLICT (provider_id) DO UPDATE SET listed_at = excluded.listed_at
                        """, arguments: [provider, listedAt])
            }
            var row = RowBinder(try db.makeStatement(sql: Self.upsertSQL), in: db)
            var dates = DateTexts()
            for index in keyOrder {
                Self.bind(upserted[index], to: &row, dates: &dates)
                try row.step()
            }
            let unlist = try db.makeStatement(
                sql: "UPDATE offer SET listed = 0, last_seen_at = ? WHERE id = ? AND withdrawn_at IS NULL")
            for sighting in changes.unlisted {
                try unlist.execute(arguments: [sighting.lastSeenAt, sighting.id.description])
            }
            let withdraw = try db.makeStatement(
                sql: "UPDATE offer SET listed = 0, last_seen_at = ?, withdrawn_at = ? WHERE id = ?")
            for sighting in changes.withdrawn {
                try withdraw.execute(arguments: [sighting.lastSeenAt, now, sighting.id.description])
            }
            guard changes.listedAt != nil else {
                return IngestSummary(
                    upserted: upserted.count, withdrawn: changes.withdrawn.count, pricePointsRecorded: 0)
            }
            let points = try Self.recordPriceChanges(db, offers: listing, provider: provider, at: now)
            try Self.recordSpotCapacityChanges(db, offers: listing, provider: provider, at: now)
            return IngestSummary(
                upserted: upserted.count, withdrawn: changes.withdrawn.count, pricePointsRecorded: points)
        }
    }

    private static let upsertSQL = """
        INSERT INTO offer (\(OfferUpsert.columns))
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
        \(OfferUpsert.onConflict)
        """

    /// A poll's offers share a few sighting times (the polls that first saw them, this one): each
    /// is formatted for SQLite once.
    private struct DateTexts {
        private var texts: [Date: String] = [:]

        mutating func text(_ date: Date) -> String {
            if let text = texts[date] { return text }
            let text = String.fromDatabaseValue(date.databaseValue) ?? ""
            texts[date] = text
            return text
        }
    }

    private static func bind(_ offer: Offer, to row: inout RowBinder, dates: inout DateTexts) {
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
        row.bind(dates.text(offer.firstSeenAt))
        row.bind(dates.text(offer.lastSeenAt))
        row.bind(offer.raw)
    }

    /// Inserts the price points of `offers` (see ``BrokerCore/ListingHistory``). Returns how many.
    private static func recordPriceChanges(_ db: Database, offers: [Offer], provider: String, at now: Date) throws
        -> Int
    {
        var latest: [ListingHistory.PriceSeries: Int64] = [:]
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT gpu, region, market, price_per_gpu_hour_micros FROM price_point
                WHERE id IN (SELECT max(id) FROM price_point WHERE provider_id = ? GROUP BY gpu, region, market)
                """,
            arguments: [provider])
        while let row = try rows.next() {
            guard let market = Market(rawValue: row[2]) else { continue }
            latest[ListingHistory.PriceSeries(gpu: row[0], region: row[1], market: market)] = row[3]
        }
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO price_point (provider_id, gpu, region, market, price_per_gpu_hour_micros, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """)
        let points = ListingHistory.pricePoints(of: offers, latest: latest)
        for (series, price) in points {
            try insert.execute(arguments: [provider, series.gpu, series.region, series.market.rawValue, price, now])
        }
        return points.count
    }

    /// Inserts the spot capacity points of `offers` (see ``BrokerCore/ListingHistory``) and keeps
    /// each series' latest count.
    private static func recordSpotCapacityChanges(_ db: Database, offers: [Offer], provider: String, at now: Date)
        throws
    {
        var latest: [ListingHistory.CapacitySeries: Int] = [:]
        let rows = try Row.fetchCursor(
            db, sql: "SELECT gpu, gpu_count, region, available FROM spot_capacity_latest WHERE provider_id = ?",
            arguments: [provider])
        while let row = try rows.next() {
            latest[ListingHistory.CapacitySeries(gpu: row[0], gpuCount: row[1], region: row[2])] = row[3]
        }
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
        for (series, count) in ListingHistory.capacityPoints(of: offers, latest: latest) {
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

    public func liveOffers(provider: String?) async throws -> [Offer] {
        try await database.pool.read { db in
            // A listed offer was last seen when its provider last listed.
            try Row.fetchAll(
                db,
                sql: """
                    SELECT offer.*, CASE WHEN listed THEN coalesce(offer_listing.listed_at, last_seen_at) ELSE last_seen_at END AS seen_at
                    FROM offer LEFT JOIN offer_listing USING (provider_id)
                    WHERE withdrawn_at IS NULL AND (?1 IS NULL OR provider_id = ?1)
                    """, arguments: [provider]
            ).map(offer(from:))
        }
    }

    public func listingTimes() async throws -> [String: Date] {
        try await database.pool.read { db in
            var times: [String: Date] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT provider_id, listed_at FROM offer_listing")
            while let row = try rows.next() { times[row[0]] = row[1] }
            return times
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
            gpu: catalog.storedGPU(gpuName, known: known),
            gpuCount: row["gpu_count"], gpuMemoryGB: row["gpu_memory_gb"], interconnect: row["interconnect"],
            vcpus: row["vcpus"], memoryGB: row["memory_gb"], diskGB: row["disk_gb"], region: row["region"],
            country: row["country"], market: market, pricePerHour: Money(microdollars: row["price_per_hour_micros"]),
            available: row["available"], reliability: row["reliability"], firstSeenAt: row["first_seen_at"],
            lastSeenAt: row["seen_at"], raw: row["raw"])
    }
}

extension GPUCatalog {
    /// A stored offer's GPU: the catalog's model of that name when it was known at ingest (and
    /// still is), otherwise the name as the provider gave it.
    public func storedGPU(_ name: String, known: Bool) -> GPUName {
        known ? (model(named: name).map(GPUName.known) ?? .unknown(name)) : .unknown(name)
    }
}
