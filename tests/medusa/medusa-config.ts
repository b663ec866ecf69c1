// Medusa configuration of shopdesk's test server (tests/medusa/medusa-env.sh).
//
// Everything comes from the environment that medusa-env.sh sets; nothing here
// names a host other than the loopback. No Redis: the in-memory event bus,
// cache, locking and workflow engine are used. The admin dashboard is not
// built or served. Telemetry is switched off by medusa-env.sh
// (MEDUSA_DISABLE_TELEMETRY and a private XDG_CONFIG_HOME saying so).
import { defineConfig } from "@medusajs/framework/utils"

const port = process.env.PORT || "9000"
const self = `http://127.0.0.1:${port}`

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    databaseLogging: false,
    workerMode: "shared",
    http: {
      storeCors: self,
      adminCors: self,
      authCors: self,
      jwtSecret: process.env.JWT_SECRET || "shopdesk-test-jwt",
      cookieSecret: process.env.COOKIE_SECRET || "shopdesk-test-cookie",
    },
  },
  admin: {
    disable: true,
  },
})
