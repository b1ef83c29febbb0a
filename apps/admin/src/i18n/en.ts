// Every string the admin shows. zh-TW.ts is typed as this schema, so a key missing there (or
// extra) fails the typecheck; i18n/locale-parity.spec.ts checks the same at run time.
// vue-i18n syntax: {name} is a placeholder, "a | b | c" are plural forms, and a literal "at"
// sign must be written {'@'} (a bare one starts a linked message).
const en = {
  app: {
    name: "ValueTier",
  },
  common: {
    actions: "Actions",
    cancel: "Cancel",
    never: "Never",
    retry: "Retry",
  },
  nav: {
    dashboard: "Dashboard",
    customers: "Customers",
    segments: "Segments",
    tiers: "Tiers",
    loyalty: "Loyalty",
    campaigns: "Campaigns",
    settings: "Settings",
    soon: "Soon",
  },
  header: {
    language: "Language",
    logout: "Log out",
    profileFailed: "Could not load your profile",
  },
  roles: {
    ADMIN: "Admin",
    MARKETER: "Marketer",
    ANALYST: "Analyst (read-only)",
  },
  roleHelp: {
    ADMIN: "Everything, including users, API keys and the audit log.",
    MARKETER: "Customers, segments, loyalty and campaigns.",
    ANALYST: "Read-only: can look at data but not change it.",
  },
  login: {
    title: "Sign in",
    subtitle: "Use the email and password your administrator gave you.",
    email: "Email",
    password: "Password",
    submit: "Sign in",
    emailRequired: "Enter your email address.",
    passwordRequired: "Enter your password.",
    failed: "Sign-in failed",
    sessionExpired: "Your session has ended. Please sign in again.",
  },
  comingSoon: {
    title: "Coming in a later release",
    areas: {
      dashboard:
        "The dashboard will summarise customer value, tiers and loyalty activity. It is not built yet, so there are no figures to show here.",
      segments:
        "Segments will group customers by RFM scores, clusters or CLV percentiles. This area is not built yet.",
      tiers: "Value tiers and their thresholds will be managed here. This area is not built yet.",
      loyalty:
        "Loyalty points, rewards and redemptions will be managed here. This area is not built yet.",
      campaigns:
        "Campaigns aimed at segments and tiers will be planned here. This area is not built yet.",
    },
  },
  notFound: {
    title: "Page not found",
    body: "There is no page at this address.",
    back: "Go to customers",
  },
  errors: {
    loadFailed: "Could not load this data",
    notAccepted: "The request was not accepted",
    noResponse: "The server sent no answer. Please try again.",
    requestFailed: "The request failed: {message}",
  },
  validation: {
    required: "This field is required.",
  },
  paging: {
    label: "Pages",
    previous: "Previous",
    next: "Next",
    position: "Page {page} of {pages}",
    perPage: "{n} per page",
    pageSize: "Rows per page",
    total: "No results | {n} result | {n} results",
  },
  orderStatus: {
    COMPLETED: "Completed",
    REFUNDED: "Refunded",
  },
  customers: {
    title: "Customers",
    subtitle: "Everyone the business has seen, with their order history.",
    search: "Search customers",
    searchPlaceholder: "Search name, email or external ID",
    channels: "Acquisition channels",
    allChannels: "All acquisition channels",
    channelsFailed: "Channels could not be loaded",
    createdFrom: "First seen from",
    createdTo: "First seen to",
    clearFilters: "Clear filters",
    empty: "No customers yet. Import customers and orders to see them here.",
    emptyFiltered: "No customers match these filters.",
    columns: {
      name: "Name",
      externalId: "External ID",
      channel: "Channel",
      createdAt: "First seen",
      orderCount: "Completed orders",
      totalSpent: "Total spent",
      lastOrderAt: "Last order",
    },
  },
  customer: {
    title: "Customer",
    back: "Back to customers",
    notFound: "Customer not found",
    notFoundBody: "No customer has the ID {id}.",
    profile: "Profile",
    aggregates: "Purchases",
    aggregatesHelp:
      "Totals count completed orders; refunded orders are listed below but not counted.",
    noTags: "No tags",
    fields: {
      name: "Name",
      email: "Email",
      externalId: "External ID",
      createdAt: "First seen",
      channel: "Acquisition channel",
      acquisitionCost: "Acquisition cost",
      tags: "Tags",
      nps: "NPS answer",
      orderCount: "Completed orders",
      totalSpent: "Total spent",
      firstOrderAt: "First order",
      lastOrderAt: "Last order",
    },
    status: {
      noOrders: "No completed orders",
      oneOrder: "One-time buyer",
      repeat: "Repeat customer",
    },
    nps: {
      promoter: "Promoter",
      passive: "Passive",
      detractor: "Detractor",
    },
    orders: {
      title: "Orders",
      empty: "This customer has no orders.",
      columns: {
        externalId: "Order ID",
        placedAt: "Placed",
        status: "Status",
        amount: "Amount",
        margin: "Margin",
      },
    },
  },
  settings: {
    title: "Settings",
    adminOnlyTitle: "For administrators",
    adminOnly:
      "Users, API keys and the audit log are managed by administrators. Ask an administrator if you need a change here.",
    tabs: {
      users: "Users",
      apiKeys: "API keys",
      auditLog: "Audit log",
    },
    users: {
      create: "New user",
      empty: "No users.",
      you: "You",
      enable: "Enable",
      disable: "Disable",
      created: "User {email} created.",
      updated: "User {email} updated.",
      columns: {
        email: "Email",
        name: "Name",
        role: "Role",
        status: "Status",
        createdAt: "Created",
        lastLoginAt: "Last sign-in",
      },
      status: {
        active: "Active",
        disabled: "Disabled",
      },
      confirmRole: {
        title: "Change role?",
        content: "{email} will have the role {role}. This changes what they can see and do.",
        action: "Change role",
      },
      confirmDisable: {
        title: "Disable this user?",
        content:
          "{email} will no longer be able to sign in. You can enable the account again later.",
      },
      confirmEnable: {
        title: "Enable this user?",
        content: "{email} will be able to sign in again.",
      },
      form: {
        title: "New user",
        email: "Email",
        name: "Name",
        password: "Initial password",
        passwordHint: "Share it with the user securely; they sign in with it.",
        role: "Role",
        submit: "Create user",
      },
    },
    apiKeys: {
      help: "Storefronts and integrations call the API with these keys.",
      create: "New API key",
      empty: "No API keys yet.",
      revoke: "Revoke",
      revoked: "API key {name} revoked.",
      columns: {
        name: "Name",
        prefix: "Key starts with",
        scopes: "Scopes",
        createdAt: "Created",
        lastUsedAt: "Last used",
        status: "Status",
      },
      status: {
        active: "Active",
        revoked: "Revoked",
        revokedOn: "Revoked {date}",
      },
      confirmRevoke: {
        title: "Revoke this API key?",
        content: "Anything using {name} will stop working at once. This cannot be undone.",
      },
      form: {
        title: "New API key",
        name: "Name",
        nameHint: "Say what will use it, e.g. the storefront's name.",
        scopes: "Scopes",
        scopesRequired: "Choose at least one scope.",
        submit: "Create key",
      },
      scopeHelp: {
        customersRead: "read customers and their orders",
        customersWrite: "create and update customers",
        ordersWrite: "record orders",
        loyaltyWrite: "award points and redeem rewards",
      },
      secret: {
        title: "API key {name} created",
        warningTitle: "Copy the key now",
        warning:
          "This is the only time the full key is shown. Store it somewhere safe, such as a password manager. If it is lost, revoke it and create a new one.",
        label: "API key",
        copy: "Copy",
        copiedShort: "Copied",
        copied: "The key is on your clipboard.",
        copyFailed: "Could not copy automatically. Select the key and copy it by hand.",
        done: "I have stored the key",
      },
    },
    auditLog: {
      empty: "No changes recorded yet.",
      before: "Before",
      after: "After",
      noState: "None",
      columns: {
        createdAt: "When",
        actor: "Who",
        action: "Action",
        entity: "Record",
      },
    },
  },
};

export type MessageSchema = typeof en;

export default en;
