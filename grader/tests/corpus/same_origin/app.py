import os
import sqlite3

from flask import Flask, g, jsonify, request, send_from_directory
from flask_jwt_extended import JWTManager, create_access_token, get_jwt_identity, jwt_required
from werkzeug.security import check_password_hash, generate_password_hash

app = Flask(__name__, static_folder="static", static_url_path="")
app.config["JWT_SECRET_KEY"] = os.environ["JWT_SECRET_KEY"]
app.config["DATABASE"] = os.environ["DATABASE_URL"].removeprefix("sqlite:///")
JWTManager(app)


def get_db():
    if "db" not in g:
        g.db = sqlite3.connect(app.config["DATABASE"])
        g.db.row_factory = sqlite3.Row
    return g.db


@app.teardown_appcontext
def close_db(exception):
    db = g.pop("db", None)
    if db is not None:
        db.close()


with app.app_context():
    get_db().execute(
        "CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " username TEXT UNIQUE NOT NULL, password TEXT NOT NULL)"
    )


@app.route("/")
def index():
    return send_from_directory("static", "index.html")


@app.post("/api/signup")
def signup():
    data = request.get_json()
    db = get_db()
    try:
        db.execute(
            "INSERT INTO users (username, password) VALUES (?, ?)",
            (data["username"], generate_password_hash(data["password"])),
        )
        db.commit()
    except sqlite3.IntegrityError:
        return jsonify(msg="Username taken"), 409
    return jsonify(msg="Account created"), 201


@app.post("/api/login")
def login():
    data = request.get_json()
    row = (
        get_db()
        .execute("SELECT * FROM users WHERE username = ?", (data.get("username"),))
        .fetchone()
    )
    if row is None or not check_password_hash(row["password"], data.get("password", "")):
        return jsonify(msg="Incorrect username or password"), 401
    return jsonify(token=create_access_token(identity=str(row["id"])))


@app.get("/api/me")
@jwt_required()
def me():
    row = (
        get_db()
        .execute("SELECT id, username FROM users WHERE id = ?", (get_jwt_identity(),))
        .fetchone()
    )
    return jsonify(id=row["id"], username=row["username"])
