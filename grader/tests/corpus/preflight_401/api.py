import os

from flask import Flask, jsonify, request
from flask_cors import CORS
from flask_jwt_extended import JWTManager, create_access_token, get_jwt_identity, jwt_required
from flask_sqlalchemy import SQLAlchemy
from werkzeug.security import check_password_hash, generate_password_hash

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.getenv("DATABASE_URL")
app.config["JWT_SECRET_KEY"] = os.getenv("JWT_SECRET_KEY")
db = SQLAlchemy(app)
jwt = JWTManager(app)
CORS(app, origins=[os.getenv("FRONTEND_URL")])

PUBLIC_ROUTES = ["/api/login", "/api/signup"]


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(80), unique=True, nullable=False)
    password = db.Column(db.String(255), nullable=False)


with app.app_context():
    db.create_all()


# extra security: nothing but login/signup without a token
@app.before_request
def require_token():
    if request.path in PUBLIC_ROUTES:
        return None
    if not request.headers.get("Authorization"):
        return jsonify({"msg": "Authorization required"}), 401
    return None


@app.route("/api/signup", methods=["POST"])
def signup():
    data = request.get_json()
    if not data.get("username") or not data.get("password"):
        return jsonify({"msg": "username and password required"}), 400
    user = User(username=data["username"], password=generate_password_hash(data["password"]))
    db.session.add(user)
    db.session.commit()
    return jsonify({"msg": "ok"}), 201


@app.route("/api/login", methods=["POST"])
def login():
    data = request.get_json()
    user = User.query.filter_by(username=data.get("username")).first()
    if user is None or not check_password_hash(user.password, data.get("password", "")):
        return jsonify({"msg": "Wrong username or password"}), 401
    return jsonify({"token": create_access_token(identity=str(user.id))})


@app.route("/api/account", methods=["GET"])
@jwt_required()
def account():
    user = db.session.get(User, int(get_jwt_identity()))
    return jsonify({"id": user.id, "username": user.username})
