extension NotificationsSchema {
    /// The notifications' federation v2 subgraph SDL, as `_service { sdl }` returns it.
    public static let sdl = #"""
        extend schema
          @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

        "An ISO 8601 date-time in UTC, e.g. 2026-11-25T09:00:00.000Z."
        scalar DateTime

        enum NotificationKind {
          "Seller: a product's available units fell to its low-stock threshold."
          LOW_STOCK
          "Seller: back above the threshold."
          LOW_STOCK_CLEARED
          "Seller: an order with their products was placed."
          NEW_ORDER
          "Buyer: their order changed status."
          ORDER_STATUS
          "Watcher: a watched product can be bought again."
          BACK_IN_STOCK
          "Watcher: a watched product got cheaper."
          PRICE_DROP
          "Seller or admin: an export they asked for is ready (exportJob has the link)."
          EXPORT_READY
        }

        "What a product can be watched for."
        enum WatchKind {
          BACK_IN_STOCK
          PRICE_DROP
        }

        enum NotificationChannel {
          IN_APP
          EMAIL
        }

        "A message to one user, in their language (Russian unless they chose English)."
        type Notification @key(fields: "id") {
          id: ID!
          kind: NotificationKind!
          title: String!
          body: String!
          "The product it is about, if any."
          productId: ID
          "The order it is about, if any."
          orderId: ID
          "Its place in the user's sequence (1, 2, 3, … without gaps): resume live notifications with since = the last offset seen."
          offset: Int!
          createdAt: DateTime!
          readAt: DateTime
          read: Boolean!
        }

        "A page of notifications, newest first."
        type NotificationPage {
          notifications: [Notification!]!
          "Pass as after for the next page; null on the last page."
          nextCursor: String
        }

        "Whether kind goes out through channel (IN_APP is on for every kind by default; EMAIL for LOW_STOCK, NEW_ORDER and ORDER_STATUS)."
        type NotificationPreference {
          kind: NotificationKind!
          channel: NotificationChannel!
          enabled: Boolean!
        }

        type ProductWatch {
          productId: ID!
          product: Product!
          kinds: [WatchKind!]!
          since: DateTime!
        }

        type PersonalData @key(fields: "userId") {
          userId: ID!
          "What the notifications service keeps about the user: address and language, notifications, watched products, choices, mail sent or waiting. The user themself and admins only."
          notifications: String!
        }

        type User @key(fields: "id") {
          id: ID!
          "The user's notifications, newest first. The user themself and admins only. first: 1 to 100."
          notifications(unreadOnly: Boolean = false, first: Int = 20, after: String): NotificationPage!
          "The user themself and admins only."
          unreadNotificationCount: Int!
          "Every kind and channel, chosen or default. The user themself and admins only."
          notificationPreferences: [NotificationPreference!]!
          "Products the user watches, most recent first. The user themself and admins only."
          watchedProducts: [ProductWatch!]!
        }

        type Product @key(fields: "id") {
          id: ID!
          "What the caller watches this product for; null when they do not (or are anonymous)."
          watching: [WatchKind!]
        }

        type Query {
          "One of the caller's notifications (admins: anyone's); null when there is none with this id."
          notification(id: ID!): Notification
          "The caller's notifications after offset since, oldest first: what a client missed while away. first: 1 to 100."
          notificationsSince(since: Int!, first: Int = 100): [Notification!]!
        }

        "Served over WebSocket (graphql-transport-ws) at /graphql."
        type Subscription {
          "The caller's new notifications. since: the last offset seen, to receive what was missed first (no gap, no duplicate)."
          notificationAdded(since: Int): Notification!
        }

        type Mutation {
          "Marks the caller's notifications among ids (at most 100) as read; answers how many were unread."
          markNotificationsRead(ids: [ID!]!): Int!
          "Marks all the caller's notifications read; answers how many were unread."
          markAllNotificationsRead: Int!
          "Watch a product (replaces the kinds of an earlier watch). At most 1,000 products per user."
          watchProduct(productId: ID!, kinds: [WatchKind!]! = [BACK_IN_STOCK, PRICE_DROP]): ProductWatch!
          "Stop watching; false when the product was not watched."
          unwatchProduct(productId: ID!): Boolean!
          setNotificationPreference(kind: NotificationKind!, channel: NotificationChannel!, enabled: Boolean!): NotificationPreference!
        }
        """#
}
