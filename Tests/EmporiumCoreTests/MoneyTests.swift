import EmporiumCore
import Testing

@Suite struct MoneyTests {
    @Test func formatsWithTheCurrencysDecimals() throws {
        #expect(try Money.price(amount: 1234, currency: "eur", field: "price").description == "12.34 EUR")
        #expect(try Money.price(amount: 5, currency: "USD", field: "price").description == "0.05 USD")
        #expect(try Money.price(amount: 1234, currency: "JPY", field: "price").description == "1234 JPY")
        #expect(try Money.price(amount: 1234, currency: "KWD", field: "price").description == "1.234 KWD")
    }

    @Test func rejectsNegativeAmounts() {
        #expect {
            try Money.price(amount: -1, currency: "EUR", field: "input.price")
        } throws: { error in
            (error as? EmporiumError)?.code == .badUserInput && (error as? EmporiumError)?.field == "input.price.amount"
        }
    }

    @Test func rejectsAmountsBeyondGraphQLInt() throws {
        #expect(throws: EmporiumError.self) {
            try Money.price(amount: Money.maximumAmount + 1, currency: "EUR", field: "price")
        }
        #expect(try Money.price(amount: Money.maximumAmount, currency: "EUR", field: "price").amount == Money.maximumAmount)
    }

    @Test func rejectsUnknownCurrencies() {
        #expect {
            try Money.price(amount: 100, currency: "XXQ", field: "input.price")
        } throws: { error in
            (error as? EmporiumError)?.field == "input.price.currency"
        }
        #expect(Currency.isKnown("rub"))
        #expect(!Currency.isKnown("RUR"))
    }
}
