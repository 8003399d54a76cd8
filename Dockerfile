# The CRM in a container; docker-compose.yml pairs it with PostgreSQL.
FROM node:24-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm install --no-audit --no-fund
COPY . .
RUN npm run build
ENV HOST=0.0.0.0 PORT=3000
EXPOSE 3000
# The server keeps nothing on its own disk (uploads go to PostgreSQL through the temporary directory); the one
# directory it may write to is its own, for an embedded PostgreSQL when DATABASE_URL is unset.
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
CMD ["node", "dist/src/main.js"]
