@testable import Catalog
import EmporiumCore
import Testing

@Suite struct PriceBandTests {
    @Test(arguments: [
        (Int64(0), Int64(0), Int64?(1)), (1, 1, 2), (2, 2, 5), (4, 2, 5), (5, 5, 10), (9, 5, 10), (10, 10, 20), (199, 100, 200),
        (200, 200, 500), (999, 500, 1_000), (1_000, 1_000, 2_000), (1_999, 1_000, 2_000), (4_999_00, 200_000, 500_000),
        (1_000_000_000, 1_000_000_000, 2_000_000_000), (2_147_483_647, 2_000_000_000, nil), (-5, 0, 1),
    ])
    func bandsFollowTheOneTwoFiveSeries(amount: Int64, lower: Int64, upper: Int64?) throws {
        let band = PriceBand(containing: amount, currency: try Currency(code: "RUB"))
        #expect(band.lower == lower && band.upper == upper, "\(amount)")
    }

    @Test func theLargestAmountsNeverOverflow() {
        #expect(PriceBand.lowerEdge(of: .max) == 5_000_000_000_000_000_000)
        #expect(PriceBand.upperEdge(after: 5_000_000_000_000_000_000) == nil)
        #expect(PriceBand.upperEdge(after: .max) == nil)
    }
}
