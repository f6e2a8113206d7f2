# The volrisk engine. Node 20 on Debian (glibc, which chdb's prebuilt engine needs). tsx runs the
# TypeScript sources directly, as `npm start` does, so there is no build step to drift from.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY bin ./bin
COPY src ./src
COPY streams ./streams
COPY models ./models
COPY dashboards ./dashboards
COPY data ./data
COPY tsconfig.json ./
# The embedded store and the sink's spill files live in /data; mount a volume there.
ENV HOST=0.0.0.0 PORT=8080 DATA_DIR=/data
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "bin/volrisk.js", "start"]
